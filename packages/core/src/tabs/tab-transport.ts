import { LiveTopicError } from '../errors.js'
import { assertTopicFilter, assertTopicName } from '../topic-validation.js'
import type { Transport, TransportFactory, TransportHandlers, TransportOptions } from '../transport.js'
import type { QoS } from '../types.js'
import { Hub } from './hub.js'
import { parse, PROTOCOL, type Request, type Wire, type WireError } from './protocol.js'
import { RetainedGate } from './retained-gate.js'

/** The browser APIs the mode runs on (tests pass fakes). */
export interface Platform {
  locks: LockManager
  channel(name: string): BroadcastChannel
}

type Credentials = { username?: string; password?: string }
type State = Extract<Wire, { type: 'state' }>
type Answer = Pick<Extract<Wire, { type: 'answer' }>, 'codes' | 'error'>

const lost = (): LiveTopicError => new LiveTopicError('CONNECTION_LOST', 'the shared connection dropped')
const toWire = (e: unknown): WireError => {
  const { code, message, topic, reasonCode } = e instanceof LiveTopicError ? e : lost()
  return { code, message, topic, reasonCode }
}
const fromWire = (e: WireError): LiveTopicError => new LiveTopicError(e.code, e.message, e)
const ignore = (): void => {}
// How long a tab waits, once the leader's lock is free, for the answers still on the channel
// (they travel apart from the lock's release); a goodbye ends the wait.
const GRACE_MS = 100

/**
 * One tab's transport in the shared mode. Every tab holds a lock named after itself for its life
 * (so others learn at once when it is gone) and queues for the leader lock. The holder of the
 * leader lock owns the real connection (a Hub); the others ("followers") connect through it over
 * the BroadcastChannel: their requests go to the leader, its answers and messages come back.
 * A tab is taken for the leader only once the Web Locks show that its page holds the leader lock.
 */
export class TabTransport implements Transport {
  readonly #id = crypto.randomUUID()
  readonly #stop = new AbortController()
  readonly #gate: RetainedGate
  /** Requests sent to the leader, by id: each settles with its answer. */
  readonly #pending = new Map<number, (answer: Answer) => void>()
  /** The other tabs the leader serves, each watched through its tab lock. */
  readonly #peers = new Map<string, AbortController>()
  #end: () => void = ignore
  /** Resolves when this client closes: the locks are held until then. */
  readonly #life = new Promise<void>((resolve) => (this.#end = resolve))
  #channel: BroadcastChannel | undefined
  #hub: Hub | undefined
  #joined = false
  #closed = false
  // follower side: who leads, on which connection, and this tab's own state
  #leader = ''
  #leaderSession = ''
  /** Claims of leadership still being checked against the locks, in arrival order. */
  #checks = Promise.resolve()
  /** The session this tab is connected on, and the leader tab that owns it ('' while not connected). */
  #session = ''
  #via = ''
  #grace: ReturnType<typeof setTimeout> | undefined
  #attempt: [string, Credentials] | undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  /** The leader's tab lock, watched while following it. */
  #watching: AbortController | undefined
  #nextId = 0

  readonly #name: string
  readonly #inner: TransportFactory
  readonly #options: TransportOptions
  readonly #handlers: TransportHandlers
  readonly #platform: Platform

  constructor(name: string, inner: TransportFactory, options: TransportOptions, handlers: TransportHandlers, platform: Platform) {
    this.#name = name
    this.#inner = inner
    this.#options = options
    this.#handlers = handlers
    this.#platform = platform
    this.#gate = new RetainedGate(options.hashMatchesParent)
  }

  open(url: string, credentials: Credentials): void {
    if (this.#hub) return this.#hub.transport.open(url, credentials)
    this.#attempt = [url, credentials]
    this.#join()
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => this.#drop(new LiveTopicError('CONNECTION_FAILED', 'no tab holds the connection')), this.#options.connectTimeout)
    queueMicrotask(() => this.#connectAsFollower())
  }

  subscribe(subs: readonly { filter: string; qos: QoS }[]): Promise<number[]> {
    const settle = this.#gate.expect(subs.map((s) => s.filter))
    return (this.#ask({ type: 'sub', subs: [...subs] }) as Promise<number[]>).finally(settle)
  }

  unsubscribe(filters: readonly string[]): Promise<void> {
    this.#gate.forget(filters)
    return this.#ask({ type: 'unsub', filters: [...filters] }).then(ignore)
  }

  publish(topic: string, payload: Uint8Array | string, options: { qos: QoS; retain: boolean }): Promise<void> {
    return this.#ask({ type: 'pub', topic, payload, ...options }).then(ignore)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    clearTimeout(this.#timer)
    clearTimeout(this.#grace)
    globalThis.removeEventListener?.('pagehide', this.#goodbye)
    await this.#hub?.transport.close()
    this.#goodbye()
    for (const peer of this.#peers.values()) peer.abort()
    this.#watching?.abort()
    this.#stop.abort()
    this.#end()
    this.#channel?.close()
    // answers to requests still in flight settle after this: posting on a closed channel throws
    this.#channel = undefined
  }

  abort(): void {
    if (this.#hub) this.#hub.transport.abort()
    else this.#drop(undefined)
  }

  /** Takes this tab's own lock, then the leader lock if free, else follows and queues for it. */
  #join(): void {
    if (this.#joined) return
    this.#joined = true
    const signal = this.#stop.signal
    globalThis.addEventListener?.('pagehide', this.#goodbye)
    this.#lock(`tab:${this.#id}`, { signal }, () => {
      this.#channel = this.#platform.channel(this.#name)
      this.#channel.onmessage = (event: MessageEvent<unknown>) => {
        const message = parse(event.data)
        if (message && !this.#closed) this.#receive(message)
      }
      this.#lock('leader', { ifAvailable: true }, (lock) => {
        if (lock) return this.#lead()
        this.#handlers.onRole?.('follower')
        this.#hello()
        this.#lock('leader', { signal }, () => this.#lead())
        return undefined
      })
      return this.#life
    })
  }

  /** Requests the lock `${name}:${lock}`; an abort or a close is no error. */
  #lock(lock: string, options: LockOptions, then: (lock: Lock | null) => unknown): void {
    this.#platform.locks.request(`${this.#name}:${lock}`, options, then).catch(ignore)
  }

  /** Calls `gone` once tab `tab` is gone (its lock is free); abort the controller to stop watching. */
  #watch(tab: string, gone: () => void): AbortController {
    const watch = new AbortController()
    this.#lock(`tab:${tab}`, { signal: watch.signal, mode: 'shared' }, gone)
    return watch
  }

  /** Holds the leader lock for the rest of this client's life. */
  #lead(): Promise<void> | undefined {
    if (this.#closed) return
    this.#watching?.abort()
    this.#leader = this.#id
    this.#leaderSession = ''
    this.#hub = new Hub(this.#inner, this.#options, {
      onConnect: () => {
        this.#session = this.#hub!.session
        this.#via = this.#id
        this.#announce()
        this.#handlers.onConnect(false)
      },
      onClose: (error) => {
        this.#session = this.#via = ''
        this.#announce(error)
        this.#handlers.onClose(error)
      },
      onMessage: (topic, payload, qos, retained) => {
        this.#post({ type: 'msg', session: this.#session, topic, payload, qos, retained })
        this.#deliver(topic, payload, qos, retained)
      },
    })
    this.#handlers.onRole?.('leader')
    this.#announce()
    clearTimeout(this.#timer)
    const attempt = this.#attempt
    this.#attempt = undefined
    // connected through the old leader: report the drop, the client reconnects with a fresh URL
    if (this.#via) this.#leaderGone(this.#via)
    else if (attempt) this.#hub.transport.open(...attempt)
    return this.#life
  }

  /**
   * Closing (pagehide or close()): the other tabs learn it at once, and nothing they ask from now
   * on is sent: they ask the next leader. Their publishes still unacknowledged are sent again by
   * it (at least once, as QoS 1 promises: one the broker had already received arrives twice).
   */
  readonly #goodbye = (event?: PageTransitionEvent): void => {
    if (event?.persisted) return
    this.#closed = true
    this.#post({ type: 'bye', from: this.#id })
  }

  #hello(): void {
    this.#post({ type: 'hello', from: this.#id })
  }

  #announce(error?: LiveTopicError): void {
    this.#post({ type: 'state', from: this.#id, session: this.#hub!.session, ...(error && { error: toWire(error) }) })
  }

  #receive(message: Wire): void {
    const hub = this.#hub
    if (message.type === 'answer') {
      const settle = this.#pending.get(message.id)
      if (message.to !== this.#id || !settle) return
      this.#pending.delete(message.id)
      settle(message)
    } else if (message.type === 'msg') {
      if (!hub && this.#session && message.session === this.#session) this.#deliver(message.topic, message.payload, message.qos, message.retained)
    } else if (message.type === 'bye') {
      this.#leaderGone(message.from, 0)
      this.#forget(message.from)
    } else if (message.type === 'state') {
      // to a leader: an older leader's last words, or a confused tab
      if (!hub) this.#claim(message)
    } else if (hub) {
      const from = message.from
      // learn at once when that tab is gone, even without a goodbye (crash, killed process)
      if (!this.#peers.has(from))
        this.#peers.set(
          from,
          this.#watch(from, () => this.#forget(from)),
        )
      if (message.type === 'hello') this.#announce()
      else if (message.to === this.#id)
        this.#work(from, message).then(
          (codes) => this.#post({ type: 'answer', to: from, id: message.id, ...(codes && { codes }) }),
          (error: unknown) => this.#post({ type: 'answer', to: from, id: message.id, error: toWire(error) }),
        )
    }
  }

  /**
   * The leader carries out a tab's request (its own too) on the current connection. What another
   * tab sends reaches the broker only if it is valid: a bad filter would cost the connection.
   */
  async #work(from: string, request: Request & { session: string }): Promise<number[] | void> {
    const hub = this.#hub!
    if (request.session !== hub.session) throw lost()
    if (request.type === 'sub') {
      request.subs.forEach((s) => assertTopicFilter(s.filter))
      return hub.subscribe(from, request.subs)
    }
    if (request.type === 'unsub') {
      request.filters.forEach(assertTopicFilter)
      return hub.unsubscribe(from, request.filters)
    }
    assertTopicName(request.topic)
    return hub.transport.publish(request.topic, request.payload, { qos: request.qos, retain: request.retain })
  }

  #forget(tab: string): void {
    this.#peers.get(tab)?.abort()
    this.#peers.delete(tab)
    this.#hub?.leave(tab)
  }

  // ----- follower -----

  /**
   * A `state` from the leader we follow is taken as is. One from another tab is taken only once the
   * locks show that its page holds the leader lock: a tab that merely says it leads is ignored.
   */
  #claim(state: State): void {
    if (state.from === this.#leader) return this.#follow(state)
    this.#checks = this.#checks
      .then(async () => {
        const { held = [] } = await this.#platform.locks.query()
        const holder = (lock: string): string | undefined => held.find((l) => l.name === `${this.#name}:${lock}`)?.clientId
        const leader = holder('leader')
        if (leader && leader === holder(`tab:${state.from}`) && !this.#hub && !this.#closed) this.#follow(state)
      })
      .catch(ignore)
  }

  #follow(state: State): void {
    const from = state.from
    if (from !== this.#leader) {
      this.#leader = from
      this.#watching?.abort()
      this.#watching = this.#watch(from, () => this.#leaderGone(from))
      this.#hello()
    }
    this.#leaderSession = state.session
    // connected on a session that ended, or waiting while the leader's own attempt failed
    if ((this.#session && this.#session !== state.session) || (!state.session && state.error && this.#attempt))
      this.#drop(state.error ? fromWire(state.error) : lost())
    this.#connectAsFollower()
  }

  /** The leader `tab` is gone: the connection through it ends, after its goodbye or a grace period. */
  #leaderGone(tab: string, wait = GRACE_MS): void {
    if (tab === this.#leader && !this.#hub) this.#leaderSession = ''
    if (tab !== this.#via || tab === this.#id) return
    clearTimeout(this.#grace)
    this.#grace = setTimeout(() => this.#via === tab && this.#drop(lost()), wait)
  }

  #connectAsFollower(): void {
    if (this.#hub || !this.#attempt || !this.#leaderSession || this.#closed) return
    this.#attempt = undefined
    clearTimeout(this.#timer)
    this.#session = this.#leaderSession
    this.#via = this.#leader
    this.#handlers.onConnect(false)
  }

  /** The connection (or the attempt) through the leader is over. */
  #drop(error: LiveTopicError | undefined): void {
    clearTimeout(this.#timer)
    const was = this.#session || this.#attempt
    this.#session = this.#via = ''
    this.#attempt = undefined
    for (const settle of this.#pending.values()) settle({ error: toWire(lost()) })
    this.#pending.clear()
    if (was) this.#handlers.onClose(error)
  }

  /** A request on the current connection: carried out here by the leader, else sent to it. */
  #ask(request: Request): Promise<number[] | void> {
    const session = this.#session
    if (this.#hub) return this.#work(this.#id, { ...request, session: this.#hub.session })
    if (!session) return Promise.reject(lost())
    const id = ++this.#nextId
    return new Promise((resolve, reject) => {
      this.#pending.set(id, (answer) => (answer.error ? reject(fromWire(answer.error)) : resolve(answer.codes)))
      this.#post({ ...request, from: this.#id, to: this.#leader, id, session })
    })
  }

  #deliver(topic: string, payload: Uint8Array, qos: QoS, retained: boolean): void {
    if (this.#gate.admit(topic, retained)) this.#handlers.onMessage(topic, payload, qos, retained)
  }

  #post(message: Wire): void {
    this.#channel?.postMessage({ ...message, v: PROTOCOL })
  }
}
