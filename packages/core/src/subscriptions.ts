import { LiveTopicError } from './errors.js'
import type { Profile } from './profile.js'
import { TopicTrie } from './topic-trie.js'
import type { ParsedFilter } from './topic-validation.js'
import type { Transport } from './transport.js'
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

interface Entry {
  readonly filter: string
  readonly listeners: Set<SubscriptionListener>
  state: EntryState
  error?: LiveTopicError
  sentAt: number
  /** Sent alone, after the connection dropped while it was in flight with others. */
  suspect: boolean
  unsubscribeTimer?: ReturnType<typeof setTimeout>
}

interface ConnectionView {
  readonly connected: boolean
  readonly transport: Transport
  ensureStarted(): void
}

// A drop this soon after a SUBSCRIBE went out, with no SUBACK, is read as the broker refusing it
// (AWS IoT Core under MQTT 3.1.1 closes the connection instead of answering 0x80).
const SUSPECT_WINDOW_MS = 3000
const MATCH_CACHE_SIZE = 512

// A listener that throws must neither starve the other listeners nor unwind into MQTT.js (its
// packet handling wedges and the connection dies): report it asynchronously, as EventTarget does.
function reportLater(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError
  if (typeof report === 'function') report(error)
  else
    setTimeout(() => {
      throw error
    })
}

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
  private readonly matchCache = new Map<string, Entry[]>()
  private flushQueued = false
  private isolating = false

  constructor(
    private readonly connection: ConnectionView,
    private readonly profile: Profile,
    private readonly unsubscribeDelay: number,
  ) {
    this.trie = new TopicTrie(profile.hashMatchesParent)
  }

  /** Number of filters the broker currently has (or is being asked) for this client. */
  get size(): number {
    return this.entries.size
  }

  /** Adds a listener; returns the function that removes it. Throws for a filter the profile refuses. */
  add(listener: SubscriptionListener): () => void {
    const filter = listener.parsed.mqtt
    let entry = this.entries.get(filter)
    if (!entry) {
      this.profile.checkFilter(filter)
      entry = { filter, listeners: new Set(), state: 'pending', sentAt: 0, suspect: false }
      this.entries.set(filter, entry)
      this.trie.set(filter, entry)
      this.matchCache.clear()
      this.pendingUnsubscribes.delete(filter)
      this.scheduleFlush()
    }
    clearTimeout(entry.unsubscribeTimer)
    delete entry.unsubscribeTimer
    entry.listeners.add(listener)
    this.tell(entry, listener)
    this.scheduleFlush()
    const current = entry
    return () => this.remove(current, listener)
  }

  /** Routes an incoming message to the listeners of every matching filter. */
  dispatch(topic: string, payload: Uint8Array, qos: QoS, retained: boolean): void {
    let matched = this.matchCache.get(topic)
    if (!matched) {
      const found: Entry[] = []
      this.trie.match(topic, (entry) => found.push(entry))
      if (this.matchCache.size >= MATCH_CACHE_SIZE) this.matchCache.clear()
      this.matchCache.set(topic, (matched = found))
    }
    for (const entry of matched) {
      for (const listener of entry.listeners) {
        try {
          listener.deliver(topic, payload, qos, retained)
        } catch (error) {
          reportLater(error)
        }
      }
    }
  }

  onConnect(sessionPresent: boolean): void {
    for (const entry of this.entries.values()) {
      if (entry.state === 'forbidden') continue
      // a kept session still has the subscriptions; a fresh one needs them again
      if (sessionPresent && entry.state === 'stale') {
        entry.state = 'subscribed'
        for (const listener of entry.listeners) listener.setStatus('subscribed')
        continue
      }
      entry.state = 'pending'
    }
    this.scheduleFlush()
  }

  /** Marks everything for resubscription; returns true when a SUBSCRIBE in flight explains the drop. */
  onDisconnect(): boolean {
    const now = Date.now()
    let explained = false
    const inflight = [...this.entries.values()].filter((e) => e.state === 'inflight')
    for (const entry of inflight) {
      if (now - entry.sentAt > SUSPECT_WINDOW_MS) continue
      explained = true
      // Two strikes: in flight at one drop makes it a suspect; in flight alone at the next drop
      // convicts it. A single drop may be the network, not the broker's refusal.
      if (entry.suspect) {
        this.forbid(entry, 0x80)
      } else entry.suspect = true
    }
    this.isolating = false
    for (const entry of this.entries.values()) {
      if (entry.state === 'inflight' || entry.state === 'subscribed') {
        entry.state = entry.state === 'subscribed' ? 'stale' : 'pending'
        for (const listener of entry.listeners) listener.setStatus('subscribing')
      }
    }
    return explained
  }

  /** Tells every listener the client is gone; nothing is subscribed again. */
  closeAll(error: LiveTopicError): void {
    for (const entry of this.entries.values()) {
      clearTimeout(entry.unsubscribeTimer)
      entry.state = 'forbidden'
      entry.error = error
      for (const listener of entry.listeners) listener.setStatus('error', error)
    }
    this.pendingUnsubscribes.clear()
  }

  private remove(entry: Entry, listener: SubscriptionListener): void {
    if (!entry.listeners.delete(listener) || entry.listeners.size > 0) return
    // never sent (e.g. a store read once with get(), or a remount in the same tick): nothing to undo
    if (entry.state === 'pending') return this.drop(entry)
    // wait a little: a remount (React StrictMode, route change) takes the entry back
    entry.unsubscribeTimer = setTimeout(() => this.drop(entry), this.unsubscribeDelay)
  }

  private drop(entry: Entry): void {
    if (entry.listeners.size > 0 || this.entries.get(entry.filter) !== entry) return
    this.entries.delete(entry.filter)
    this.trie.delete(entry.filter)
    this.matchCache.clear()
    if (entry.state === 'subscribed' || entry.state === 'inflight' || entry.state === 'stale') {
      this.pendingUnsubscribes.add(entry.filter)
      this.scheduleFlush()
    }
  }

  private tell(entry: Entry, listener: SubscriptionListener): void {
    if (entry.state === 'forbidden') listener.setStatus('error', entry.error)
    else listener.setStatus(entry.state === 'subscribed' ? 'subscribed' : 'subscribing')
  }

  private forbid(entry: Entry, code: number): void {
    entry.state = 'forbidden'
    entry.suspect = false
    entry.error = new LiveTopicError('NOT_AUTHORIZED', `the broker refused the subscription to "${entry.filter}"`, { topic: entry.filter, reasonCode: code })
    for (const listener of entry.listeners) listener.setStatus('error', entry.error)
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

  private flush(): void {
    if (!this.connection.connected) {
      // connect lazily, and only for a listener that stayed past the tick it came in
      if (this.entries.size > 0) this.connection.ensureStarted()
      return
    }
    if (this.isolating) return
    const { transport } = this.connection
    if (this.pendingUnsubscribes.size > 0) {
      const filters = [...this.pendingUnsubscribes]
      this.pendingUnsubscribes.clear()
      for (let i = 0; i < filters.length; i += this.profile.maxFiltersPerSubscribe)
        void transport.unsubscribe(filters.slice(i, i + this.profile.maxFiltersPerSubscribe)).catch(() => {})
    }
    const pending = [...this.entries.values()].filter((e) => e.state === 'pending')
    const suspect = pending.find((e) => e.suspect)
    if (suspect) {
      // isolate: one suspect alone, and nothing else until its SUBACK, to learn which filter is refused
      this.isolating = true
      this.send([suspect], () => {
        this.isolating = false
        this.flush()
      })
      return
    }
    for (let i = 0; i < pending.length; i += this.profile.maxFiltersPerSubscribe)
      this.send(pending.slice(i, i + this.profile.maxFiltersPerSubscribe))
  }

  private send(batch: Entry[], done?: () => void): void {
    const now = Date.now()
    for (const entry of batch) {
      entry.state = 'inflight'
      entry.sentAt = now
    }
    this.connection.transport
      .subscribe(batch.map((e) => ({ filter: e.filter, qos: this.qosOf(e) })))
      .then((codes) => {
        batch.forEach((entry, i) => {
          if (entry.state !== 'inflight') return
          const code = codes[i] ?? 0x80
          entry.suspect = false
          if (code >= 0x80) return this.forbid(entry, code)
          entry.state = 'subscribed'
          for (const listener of entry.listeners) listener.setStatus('subscribed')
        })
        // a filter dropped while its SUBSCRIBE was in flight must still be unsubscribed
        for (const entry of batch) if (!this.entries.has(entry.filter)) this.pendingUnsubscribes.add(entry.filter)
        if (this.pendingUnsubscribes.size > 0) this.scheduleFlush()
        done?.()
      }, () => {
        // the connection dropped; onDisconnect already reset the state
      })
  }

  private qosOf(entry: Entry): QoS {
    let qos: QoS = 0
    for (const listener of entry.listeners) if (listener.qos > qos) qos = listener.qos
    return Math.min(qos, this.profile.maxQos) as QoS
  }
}
