import type { Connection } from './connection.js'
import type { DebugSink } from './debug-events.js'
import { LiveTopicError } from './errors.js'
import type { TopicInspection } from './inspect.js'
import { callSafely, reportListenerError } from './isolate.js'
import type { Profile } from './profile.js'
import type { Sendable, SuspectTracker } from './suspects.js'
import { TopicTrie } from './topic-trie.js'
import type { ParsedFilter } from './topic-validation.js'
import type { QoS } from './types.js'

/** One consumer of a filter: a topic store or an `onMessage` callback. */
export interface SubscriptionListener {
  readonly parsed: ParsedFilter
  readonly qos: QoS
  deliver(topic: string, payload: Uint8Array, qos: QoS, retained: boolean): void
  setStatus(status: 'subscribing' | 'subscribed' | 'error', error?: LiveTopicError): void
}

// 'stale': was subscribed when the connection dropped; a kept session (sessionPresent) still has it
type EntryState = 'pending' | 'inflight' | 'subscribed' | 'stale' | 'forbidden'

/** `listener.deliver`; a throw is reported (try/catch, not callSafely: no closure per message on the hot path). */
function deliverSafely(listener: SubscriptionListener, topic: string, payload: Uint8Array, qos: QoS, retained: boolean): void {
  try {
    listener.deliver(topic, payload, qos, retained)
  } catch (error) {
    reportListenerError(error)
  }
}

/** One filter the broker has (or is asked for), shared by all its listeners. */
class Entry implements Sendable {
  readonly kind = 'subscribe'
  /** The first listener, `more` the others in the order they came (a filter mostly has one: no Set per filter, heap). */
  one?: SubscriptionListener
  more?: Set<SubscriptionListener>
  state: EntryState = 'pending'
  error?: LiveTopicError
  unsubscribeTimer?: ReturnType<typeof setTimeout>

  constructor(
    readonly topic: string,
    private readonly owner: Subscriptions,
  ) {}

  /** Calls `fn` for every listener, in the order they came. */
  each(fn: (listener: SubscriptionListener) => void): void {
    if (this.one) fn(this.one)
    this.more?.forEach(fn)
  }

  get size(): number {
    return (this.one ? 1 : 0) + (this.more?.size ?? 0)
  }

  /** The second strike of the suspect tracker. */
  refused(): void {
    this.owner.forbid(this, 0x80)
  }

  /** Tells every listener; a listener that throws is reported and the others still hear it. */
  setStatus(status: 'subscribing' | 'subscribed' | 'error', error?: LiveTopicError): void {
    this.each((listener) => callSafely(listener.setStatus.bind(listener), status, error))
  }
}

const MATCH_CACHE_SIZE = 512

/**
 * Reference-counted subscriptions: one SUBSCRIBE per distinct filter however many listeners,
 * batched per tick, one UNSUBSCRIBE after the last listener leaves, restored after a reconnect.
 */
export class Subscriptions {
  private readonly entries = new Map<string, Entry>()
  private readonly trie: TopicTrie<Entry>
  private readonly pendingUnsubscribes = new Set<string>()
  // Live traffic repeats a few topics: remember which entries each one matched, until the set of
  // filters changes. Bounded, and emptied whole (cheaper than an LRU on the hot path).
  private readonly matchCache = new Map<string, Set<Entry>>()
  private flushQueued = false

  constructor(
    private readonly connection: Pick<Connection, 'connected' | 'subscribe' | 'unsubscribe' | 'ensureStarted' | 'on'>,
    private readonly suspects: SuspectTracker,
    private readonly profile: Profile,
    private readonly unsubscribeDelay: number,
    private readonly debug: DebugSink,
  ) {
    this.trie = new TopicTrie(profile.hashMatchesParent)
    connection.on('connected', (sessionPresent) => this.restore(sessionPresent))
    connection.on('dropped', () => this.markForResubscribe())
    connection.on('message', (topic, payload, qos, retained) => this.dispatch(topic, payload, qos, retained))
    suspects.onResume(() => this.scheduleFlush())
  }

  /** Adds a listener (`remove` takes it away). Throws for a filter the profile refuses. */
  add(listener: SubscriptionListener): void {
    const filter = listener.parsed.mqtt
    let entry = this.entries.get(filter)
    if (!entry) {
      this.profile.checkFilter(filter)
      entry = new Entry(filter, this)
      this.entries.set(filter, entry)
      // a filter without wildcards matches only the topic equal to it: `entries` finds it (no trie nodes: heap)
      if (/[+#]/.test(filter)) this.trie.set(filter, entry)
      this.matchCache.clear()
      this.pendingUnsubscribes.delete(filter)
      this.scheduleFlush()
    }
    clearTimeout(entry.unsubscribeTimer)
    delete entry.unsubscribeTimer
    // the first one in `one` only while there are no others: the order they came is the order they hear
    if (!entry.size) entry.one = listener
    else if (entry.one !== listener) (entry.more ??= new Set()).add(listener)
    this.tell(entry, listener)
    this.scheduleFlush()
  }

  /** Takes a listener away (if there); the last one of a filter ends its subscription. */
  remove(listener: SubscriptionListener): void {
    // found by filter, not by a closure per listener (heap): a filter has one entry while it has listeners
    const entry = this.entries.get(listener.parsed.mqtt)
    if (!entry) return
    if (entry.one === listener) entry.one = undefined
    else if (!entry.more?.delete(listener)) return
    if (entry.size) return
    // never sent (e.g. a store read once with get(), or a remount in the same tick): nothing to undo
    if (entry.state === 'pending') return this.drop(entry)
    // wait a little: a remount (React StrictMode, route change) takes the entry back
    entry.unsubscribeTimer = setTimeout(() => this.drop(entry), this.unsubscribeDelay)
  }

  /** Routes an incoming message to the listeners of every matching filter. */
  dispatch(topic: string, payload: Uint8Array, qos: QoS, retained: boolean): void {
    let matched = this.matchCache.get(topic)
    if (!matched) {
      // a Set: a broker may (wrongly) send + or # in a topic name, which the trie and `entries` may both find
      const found = new Set<Entry>()
      this.trie.match(topic, (entry) => found.add(entry))
      const exact = this.entries.get(topic)
      if (exact) found.add(exact)
      if (this.matchCache.size >= MATCH_CACHE_SIZE) this.matchCache.clear()
      this.matchCache.set(topic, (matched = found))
    }
    // a listener that throws must neither starve the others nor unwind into the transport
    for (const entry of matched) {
      if (entry.one) deliverSafely(entry.one, topic, payload, qos, retained)
      if (entry.more) for (const listener of entry.more) deliverSafely(listener, topic, payload, qos, retained)
    }
  }

  /** Every filter with its state and listener count, for devtools (`inspectClient`). */
  inspect(): TopicInspection[] {
    return Array.from(this.entries.values(), (e) => ({ filter: e.topic, state: e.state, listeners: e.size, error: e.error }))
  }

  /** Tells every listener the client is gone; nothing is subscribed again. */
  closeAll(error: LiveTopicError): void {
    for (const entry of this.entries.values()) {
      clearTimeout(entry.unsubscribeTimer)
      this.suspects.forget(entry)
      entry.state = 'forbidden'
      entry.error = error
      entry.setStatus('error', error)
    }
    this.pendingUnsubscribes.clear()
  }

  /** After CONNACK: a kept session still has what was subscribed; a fresh one needs it all again. */
  private restore(sessionPresent: boolean): void {
    for (const entry of this.entries.values()) {
      if (entry.state === 'forbidden') continue
      if (sessionPresent && entry.state === 'stale') {
        entry.state = 'subscribed'
        entry.setStatus('subscribed')
        continue
      }
      entry.state = 'pending'
    }
    this.scheduleFlush()
  }

  /** After a drop (the suspect tracker has already noted what was in flight). */
  private markForResubscribe(): void {
    for (const entry of this.entries.values()) {
      if (entry.state === 'inflight' || entry.state === 'subscribed') {
        entry.state = entry.state === 'subscribed' ? 'stale' : 'pending'
        entry.setStatus('subscribing')
      }
    }
  }

  private drop(entry: Entry): void {
    if (entry.size || this.entries.get(entry.topic) !== entry) return
    this.entries.delete(entry.topic)
    this.trie.delete(entry.topic)
    this.matchCache.clear()
    if (entry.state === 'subscribed' || entry.state === 'stale') {
      this.pendingUnsubscribes.add(entry.topic)
      this.scheduleFlush()
    }
    // an in-flight one is unsubscribed when its SUBACK comes (handleSuback), and stays followed
    // by the suspect tracker until then
    if (entry.state !== 'inflight') this.suspects.forget(entry)
  }

  private tell(entry: Entry, listener: SubscriptionListener): void {
    if (entry.state === 'forbidden') callSafely(listener.setStatus.bind(listener), 'error', entry.error)
    else callSafely(listener.setStatus.bind(listener), entry.state === 'subscribed' ? 'subscribed' : 'subscribing')
  }

  /** The broker refused `entry` (a failure code, or the suspect tracker's second strike). */
  forbid(entry: Entry, code: number): void {
    entry.state = 'forbidden'
    entry.error = new LiveTopicError('NOT_AUTHORIZED', `the broker refused the subscription to "${entry.topic}"`, { topic: entry.topic, reasonCode: code })
    entry.setStatus('error', entry.error)
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return
    this.flushQueued = true
    // subscribes made in the same tick leave in one SUBSCRIBE packet
    queueMicrotask(() => {
      this.flushQueued = false
      this.flush()
    })
  }

  /** Sends what is waiting: UNSUBSCRIBEs first, then SUBSCRIBEs in batches the profile allows. */
  private flush(): void {
    if (!this.connection.connected) {
      // connect lazily, and only for a listener that stayed past the tick it came in
      if (this.entries.size > 0) this.connection.ensureStarted()
      return
    }
    if (this.suspects.isolating) return
    const { maxFiltersPerSubscribe } = this.profile
    if (this.pendingUnsubscribes.size > 0) {
      const filters = [...this.pendingUnsubscribes]
      this.pendingUnsubscribes.clear()
      for (let i = 0; i < filters.length; i += maxFiltersPerSubscribe) this.sendUnsubscribe(filters.slice(i, i + maxFiltersPerSubscribe))
    }
    const pending = [...this.entries.values()].filter((e) => e.state === 'pending')
    // a suspect goes alone, and nothing else until its SUBACK: to learn which filter is refused
    const suspect = pending.find((e) => this.suspects.isSuspect(e))
    if (suspect) return this.sendSubscribe([suspect], true)
    for (let i = 0; i < pending.length; i += maxFiltersPerSubscribe) this.sendSubscribe(pending.slice(i, i + maxFiltersPerSubscribe), false)
  }

  private sendUnsubscribe(filters: string[]): void {
    this.debug?.({ type: 'unsubscribe', filters })
    void this.connection.unsubscribe(filters).catch(() => {})
  }

  /** One SUBSCRIBE packet for `batch`; its SUBACK marks each entry subscribed or forbidden. */
  private sendSubscribe(batch: Entry[], alone: boolean): void {
    for (const entry of batch) {
      entry.state = 'inflight'
      this.suspects.sent(entry, alone)
    }
    const filters = batch.map((e) => ({ filter: e.topic, qos: this.qosOf(e) }))
    this.debug?.({ type: 'subscribe', filters, isolated: alone })
    this.connection.subscribe(filters).then(
      (codes) => this.handleSuback(batch, codes),
      () => {
        // the connection dropped; the suspect tracker and markForResubscribe already dealt with it
      },
    )
  }

  private handleSuback(batch: Entry[], codes: number[]): void {
    this.debug?.({ type: 'suback', results: batch.map((e, i) => ({ filter: e.topic, code: codes[i] ?? 0x80 })) })
    batch.forEach((entry, i) => {
      if (entry.state !== 'inflight') return
      this.suspects.answered(entry)
      const code = codes[i] ?? 0x80
      if (code >= 0x80) return this.forbid(entry, code)
      entry.state = 'subscribed'
      entry.setStatus('subscribed')
    })
    // a filter dropped while its SUBSCRIBE was in flight must still be unsubscribed
    for (const entry of batch) {
      if (this.entries.get(entry.topic) === entry) continue
      this.suspects.forget(entry)
      if (!this.entries.has(entry.topic)) this.pendingUnsubscribes.add(entry.topic)
    }
    if (this.pendingUnsubscribes.size > 0) this.scheduleFlush()
  }

  private qosOf(entry: Entry): QoS {
    let qos: QoS = 0
    entry.each((listener) => {
      if (listener.qos > qos) qos = listener.qos
    })
    return Math.min(qos, this.profile.maxQos) as QoS
  }
}
