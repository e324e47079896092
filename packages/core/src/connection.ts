import { atom, type ReadableAtom } from 'nanostores'
import { backoffDelay, connectPause, isConnectThrottled, type ResolvedReconnect } from './backoff.js'
import { brokerUrlProblem } from './broker-url.js'
import type { DebugSink } from './debug-events.js'
import { LiveTopicError } from './errors.js'
import { setSafely } from './isolate.js'
import { redact } from './redact.js'
import type { SuspectTracker } from './suspects.js'
import type { Transport, TransportFactory, TransportOptions } from './transport.js'
import type { ConnectionState, ConnectionStatus, QoS, UrlProvider } from './types.js'

type Credential = string | (() => string | undefined | Promise<string | undefined>) | undefined

export interface ConnectionSettings {
  url: UrlProvider
  username: Credential
  password: Credential
  reconnect: ResolvedReconnect
  /** The client id was chosen by the user, so another connection may share it. */
  fixedClientId: boolean
  transport: TransportOptions
  /** Secrets known before any URL resolves (static password, header values): redacted from every message. */
  secrets: readonly string[]
}

/** What the connection tells the layers above it; they subscribe with `connection.on()`. */
export interface ConnectionEvents {
  /** CONNACK accepted; `sessionPresent`: the broker kept our subscriptions. */
  connected: (sessionPresent: boolean) => void
  /** A live connection dropped (after the suspect tracker noted what was in flight). */
  dropped: (reason: LiveTopicError | undefined) => void
  message: (topic: string, payload: Uint8Array, qos: QoS, retained: boolean) => void
}

/**
 * The states of the connection. `connecting` and `reconnecting` (before / after a first success)
 * go through three steps: `resolving` the URL provider, `opening` the transport, or `waiting` out a
 * backoff. `closed` shows as `offline` in `client.status`. Each state owns the timers and
 * listeners it started (`release`), and `enter()` releases them when the state is left: so
 * `failed`, `idle` and `closed` never have a timer pending.
 */
type State =
  | { readonly name: 'idle' }
  | { readonly name: 'connecting' | 'reconnecting'; readonly step: 'resolving'; readonly error?: LiveTopicError }
  | {
      readonly name: 'connecting' | 'reconnecting'
      readonly step: 'opening'
      readonly url: string
      readonly credentials: { username?: string; password?: string }
      readonly error?: LiveTopicError
    }
  | { readonly name: 'connecting' | 'reconnecting'; readonly step: 'waiting'; readonly delay: number; readonly error?: LiveTopicError }
  /** The browser says it is offline: wait for its `online` event (or the backoff delay). */
  | { readonly name: 'offline'; readonly delay: number; readonly error?: LiveTopicError }
  | { readonly name: 'connected'; readonly sessionPresent: boolean }
  | { readonly name: 'failed'; readonly error: LiveTopicError }
  | { readonly name: 'closed' }

/** Everything that moves the connection from one state to another. */
type Action =
  | { type: 'start' }
  /** `client.reconnect()`, or the browser came back online. */
  | { type: 'retry' }
  | { type: 'backoff-elapsed' }
  | { type: 'url-resolved'; url: string; username: string | undefined; password: string | undefined }
  | { type: 'url-failed'; error: LiveTopicError }
  | { type: 'connack'; sessionPresent: boolean }
  | { type: 'socket-closed'; error: LiveTopicError | undefined; explained: boolean }
  | { type: 'close' }

/** A next state, and the takeover count (`quickDrops`) it implies when it changes. */
interface Transition {
  readonly state: State
  readonly quickDrops?: number
}

const notConnected = (topic?: string): Promise<never> =>
  Promise.reject(new LiveTopicError('CONNECTION_LOST', 'not connected', topic === undefined ? {} : { topic }))

// Under MQTT 3.1.1 a client-id takeover looks like the broker closing a healthy connection, over
// and over, each reconnect succeeding at once with the session kept. This many in a row is called
// a conflict. A failed attempt (the broker restarting, the network gone) or a persistent session
// the broker no longer has (a restart) between them is no takeover and starts the count over; the
// fourth drop, not the third, decides, so that the reconnect after a third one can say so.
const TAKEOVER_DROPS = 4
/** Allowance for the other side's connect handshake in a takeover's connection lifetime. */
const HANDSHAKE_MS = 1000

/**
 * How short a connection's life must be to count towards a takeover. In a takeover each connection
 * lives until the other holder of the id comes back, i.e. for that side's backoff delay, drawn below
 * `initialDelay · factor^(n-1)` in round n (after the profile's `minConnectInterval`, which paces that
 * side too): by the fourth round below 4 s with the defaults. A
 * longer-lived connection that is dropped is an ordinary drop (a broker restart, a flaky network):
 * counting those too called three unlucky drops within `stableAfter` a conflict, and gave up.
 */
const takeoverWindow = ({ initialDelay, factor, stableAfter, minConnectInterval }: ResolvedReconnect): number =>
  Math.min(stableAfter, minConnectInterval + initialDelay * factor ** (TAKEOVER_DROPS - 1) + HANDSHAKE_MS)

async function resolveCredential(value: Credential): Promise<string | undefined> {
  return typeof value === 'function' ? value() : value
}

const isOnline = (): boolean => typeof navigator === 'undefined' || navigator.onLine !== false

/**
 * One MQTT connection: lazy start, status store, reconnect with backoff, auth and conflict
 * handling. A state machine: `reduce()` is the one place that decides the next state, `enter()`
 * the one place that starts a state's timers, listeners and I/O.
 */
export class Connection {
  private readonly state = atom<ConnectionState>({ status: 'idle', clientId: '', attempt: 0 })
  readonly status: ReadableAtom<ConnectionState> = this.state
  /** Private: every send goes through `publish`/`subscribe`/`unsubscribe`, which check the state. */
  readonly #transport: Transport
  private current: State = { name: 'idle' }
  private release: (() => void) | undefined
  private readonly listeners: { [K in keyof ConnectionEvents]: ConnectionEvents[K][] } = { connected: [], dropped: [], message: [] }
  // data the states share: attempts since the last stable connection, and what the takeover
  // heuristic needs
  private attempts = 0
  private everConnected = false
  private connectedAt = 0
  private quickDrops = 0
  private lastSessionPresent: boolean | undefined
  /**
   * When the broker last answered a CONNECT, or the last one started while unanswered (`Date.now()`),
   * for the profile's `minConnectInterval`: the broker counts a CONNECT when it arrives, which the
   * answer follows and the start precedes by a handshake whose length varies.
   */
  private lastConnectAt: number | undefined
  /** With a transport shared across tabs: whether this tab owns the connection (see TransportHandlers.onRole). */
  private role: 'leader' | 'follower' | undefined
  private secrets: (string | undefined)[]
  private closing: Promise<void> = Promise.resolve()

  constructor(
    private readonly settings: ConnectionSettings,
    createTransport: TransportFactory,
    private readonly suspects: SuspectTracker,
    private readonly debug: DebugSink,
  ) {
    this.secrets = [...settings.secrets]
    this.state.set({ status: 'idle', clientId: settings.transport.clientId, attempt: 0 })
    this.#transport = createTransport(settings.transport, {
      onConnect: (sessionPresent) => {
        // a CONNACK that arrives after close(): drop that socket at once
        if (this.current.name === 'closed') return this.#transport.abort()
        this.dispatch({ type: 'connack', sessionPresent })
      },
      onMessage: (topic, payload, qos, retained) => {
        for (const listener of this.listeners.message) listener(topic, payload, qos, retained)
      },
      onClose: (error) => this.socketClosed(error),
      onRole: (role) => {
        this.role = role
        this.showStatus(this.current)
      },
    })
  }

  get connected(): boolean {
    return this.current.name === 'connected'
  }

  on<K extends keyof ConnectionEvents>(event: K, listener: ConnectionEvents[K]): void {
    this.listeners[event].push(listener)
  }

  /** One PUBLISH on the live connection; without one, rejects with CONNECTION_LOST (retryable). */
  publish(topic: string, payload: Uint8Array | string, options: { qos: QoS; retain: boolean }): Promise<void> {
    return this.connected ? this.#transport.publish(topic, payload, options) : notConnected(topic)
  }

  /** One SUBSCRIBE packet on the live connection; without one, rejects with CONNECTION_LOST. */
  subscribe(subscriptions: readonly { filter: string; qos: QoS }[]): Promise<number[]> {
    return this.connected ? this.#transport.subscribe(subscriptions) : notConnected()
  }

  /** One UNSUBSCRIBE packet on the live connection; without one there is nothing to undo. */
  unsubscribe(filters: readonly string[]): Promise<void> {
    return this.connected ? this.#transport.unsubscribe(filters) : Promise.resolve()
  }

  /** Starts connecting unless already started (first listener or publish). */
  ensureStarted(): void {
    this.dispatch({ type: 'start' })
  }

  /** Tries again now, after `failed` or during a backoff wait. */
  retryNow(): void {
    this.dispatch({ type: 'retry' })
  }

  async close(): Promise<void> {
    this.dispatch({ type: 'close' })
    await this.closing
  }

  private dispatch(action: Action): void {
    const previous = this.current
    const { state: next, quickDrops } = this.reduce(previous, action)
    if (next === previous) return
    if (quickDrops !== undefined) this.quickDrops = quickDrops
    this.release?.()
    this.release = undefined
    this.current = next
    this.enter(next, previous)
  }

  /**
   * The transition table: the next state for an action, or the same state when the action does not
   * apply. Pure: it reads the counters and says how the takeover count changes; `dispatch()` and
   * `enter()` write them.
   */
  private reduce(state: State, action: Action): Transition {
    if (state.name === 'closed') return { state }
    if (action.type === 'socket-closed') {
      if (state.name === 'connected') return this.afterDrop(action.error, action.explained)
      // the broker (or the network) was away: in a takeover every reconnect succeeds at once
      // the broker (or the network) was away: in a takeover every reconnect succeeds at once
      // (a throttled attempt shows the broker was there: it neither ends nor extends the run)
      if ('step' in state && state.step === 'opening')
        return { state: this.afterFailedAttempt(action.error), ...(isConnectThrottled(action.error) ? {} : { quickDrops: 0 }) }
      return { state }
    }
    return { state: this.nextState(state, action) }
  }

  private nextState(state: Exclude<State, { name: 'closed' }>, action: Exclude<Action, { type: 'socket-closed' }>): State {
    const between = state.name === 'offline' || state.name === 'failed' || ('step' in state && state.step === 'waiting')
    switch (action.type) {
      case 'close':
        return { name: 'closed' }
      case 'start':
        return state.name === 'idle' ? this.nextAttempt(undefined) : state
      case 'retry':
        return state.name === 'idle' || between ? this.nextAttempt(errorOf(state)) : state
      case 'backoff-elapsed':
        return between && state.name !== 'failed' ? this.nextAttempt(errorOf(state)) : state
      case 'url-resolved': {
        if (!('step' in state) || state.step !== 'resolving') return state
        const credentials = {
          ...(action.username === undefined ? {} : { username: action.username }),
          ...(action.password === undefined ? {} : { password: action.password }),
        }
        return { name: state.name, step: 'opening', url: action.url, credentials, ...(state.error ? { error: state.error } : {}) }
      }
      case 'url-failed':
        return 'step' in state && state.step === 'resolving' ? this.retryLater(action.error) : state
      case 'connack':
        if (!('step' in state) || state.step !== 'opening') return state
        return { name: 'connected', sessionPresent: action.sessionPresent }
    }
  }

  /** A new attempt (`enter()` counts it). */
  private nextAttempt(error: LiveTopicError | undefined): State {
    return { name: this.everConnected ? 'reconnecting' : 'connecting', step: 'resolving', ...(error ? { error } : {}) }
  }

  private afterFailedAttempt(error: LiveTopicError | undefined): State {
    // A refused login is not retried: a static URL cannot change its answer, and retrying a
    // provider's refused token on a timer would knock forever. `failed` until `client.reconnect()`
    // (which asks the provider again, for a fresh token).
    // INVALID_OPTIONS (e.g. no WebSocket on this runtime) cannot change by waiting either.
    if (error?.code === 'NOT_AUTHORIZED' || error?.code === 'CLIENT_ID_CONFLICT' || error?.code === 'INVALID_OPTIONS') return { name: 'failed', error }
    return this.retryLater(error)
  }

  private afterDrop(error: LiveTopicError | undefined, explained: boolean): Transition {
    if (error?.code === 'CLIENT_ID_CONFLICT') return { state: { name: 'failed', error } }
    const lived = Date.now() - this.connectedAt
    const quick = !explained && this.settings.fixedClientId && lived < takeoverWindow(this.settings.reconnect) && error?.reasonCode === undefined
    const quickDrops = quick ? this.quickDrops + 1 : 0
    if (quickDrops >= TAKEOVER_DROPS) {
      const conflict = new LiveTopicError(
        'CLIENT_ID_CONFLICT',
        `the broker keeps closing the connection right after connect: another client is probably using client id "${this.settings.transport.clientId}"`,
      )
      return { state: { name: 'failed', error: conflict }, quickDrops }
    }
    return { state: this.retryLater(error), quickDrops }
  }

  private retryLater(error: LiveTopicError | undefined): State {
    const { reconnect } = this.settings
    if (this.attempts >= reconnect.maxAttempts) return { name: 'failed', error: error ?? new LiveTopicError('CONNECTION_FAILED', 'gave up reconnecting') }
    // the jitter is drawn beyond what is left of the broker's minimum interval between CONNECTs
    const delay = connectPause(this.lastConnectAt, reconnect.minConnectInterval) + backoffDelay(this.attempts, reconnect)
    const carried = error ? { error } : {}
    // no point burning attempts while the browser knows it is offline
    if (!isOnline()) return { name: 'offline', delay, ...carried }
    return { name: this.everConnected ? 'reconnecting' : 'connecting', step: 'waiting', delay, ...carried }
  }

  /** Starts what `state` owns; what it returns in `this.release` is undone when the state is left. */
  private enter(state: State, previous: State): void {
    if ('step' in state && state.step === 'resolving') this.attempts++
    if (state.name === 'connected') {
      // a persistent session the broker forgot: it restarted, which no takeover does
      if (this.everConnected && !this.settings.transport.clean && !state.sessionPresent) this.quickDrops = 0
      this.everConnected = true
      this.lastConnectAt = this.connectedAt = Date.now()
      this.lastSessionPresent = state.sessionPresent
    }
    this.showStatus(state)
    switch (state.name) {
      case 'idle':
      case 'failed':
        if (state.name === 'failed') this.debug?.({ type: 'gave-up', error: state.error })
        return
      case 'closed':
        if (previous.name !== 'idle') this.closing = this.closeTransport()
        return
      case 'offline': {
        this.suspects.brokerAway()
        const timer = setTimeout(() => this.dispatch({ type: 'backoff-elapsed' }), state.delay)
        const online = (): void => this.dispatch({ type: 'retry' })
        const target = typeof addEventListener === 'function' ? globalThis : undefined
        target?.addEventListener('online', online)
        this.release = () => {
          clearTimeout(timer)
          target?.removeEventListener('online', online)
        }
        this.debug?.({ type: 'reconnect-scheduled', attempt: this.attempts, delay: state.delay, offline: true })
        return
      }
      case 'connected': {
        this.debug?.({ type: 'connack', sessionPresent: state.sessionPresent })
        // before the layers send anything: what the last drop accused is judged now
        this.suspects.reconnected(state.sessionPresent, this.settings.transport.clean)
        // a connection that lives this long resets the backoff and the takeover count
        const stable = setTimeout(() => {
          this.attempts = 0
          this.quickDrops = 0
          this.showStatus(state)
        }, this.settings.reconnect.stableAfter)
        this.release = () => clearTimeout(stable)
        for (const listener of this.listeners.connected) listener(state.sessionPresent)
        return
      }
      default:
        break
    }
    if (state.step === 'waiting') {
      const timer = setTimeout(() => this.dispatch({ type: 'backoff-elapsed' }), state.delay)
      this.release = () => clearTimeout(timer)
      this.debug?.({ type: 'reconnect-scheduled', attempt: this.attempts, delay: state.delay, offline: false })
    } else if (state.step === 'resolving') this.resolveUrl(state)
    else this.open(state.url, state.credentials)
  }

  /** Sends the CONNECT, once the profile's `minConnectInterval` since the last one has passed (reconnect() too). */
  private open(url: string, credentials: { username?: string; password?: string }): void {
    const start = (): void => {
      this.lastConnectAt = Date.now()
      this.#transport.open(url, credentials)
    }
    const pause = connectPause(this.lastConnectAt, this.settings.reconnect.minConnectInterval)
    if (pause === 0) return start()
    const timer = setTimeout(start, pause)
    this.release = () => clearTimeout(timer)
  }

  /** Asks the URL provider and the credential functions, within `connectTimeout`. */
  private resolveUrl(state: State): void {
    const { url, username, password, reconnect } = this.settings
    const started = Date.now()
    this.debug?.({ type: 'connect-attempt', attempt: this.attempts })
    const fail = (why: string): void => {
      this.suspects.brokerAway()
      const error = new LiveTopicError('URL_PROVIDER_FAILED', `could not get a broker URL: ${redact(why, this.secrets)}`)
      this.debug?.({ type: 'url-failed', ms: Date.now() - started, error })
      this.dispatch({ type: 'url-failed', error })
    }
    const timer = setTimeout(() => fail(`the URL provider did not answer within ${reconnect.connectTimeout} ms`), reconnect.connectTimeout)
    this.release = () => clearTimeout(timer)
    let pending: Promise<[unknown, string | undefined, string | undefined]>
    try {
      pending = Promise.all([typeof url === 'function' ? url() : url, resolveCredential(username), resolveCredential(password)])
    } catch (cause) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- forwards whatever the provider threw; the rejection handler below wraps it
      pending = Promise.reject(cause)
    }
    pending.then(
      ([resolved, user, pass]) => {
        if (this.current !== state) return
        this.secrets = [...this.settings.secrets, user, pass]
        const problem = brokerUrlProblem(resolved)
        if (problem !== undefined) return fail(`the URL provider's URL ${typeof resolved === 'string' ? `${redact(resolved, this.secrets)} ` : ''}${problem}`)
        this.debug?.({ type: 'url-resolved', ms: Date.now() - started, url: redact(resolved as string, this.secrets) })
        this.dispatch({ type: 'url-resolved', url: resolved as string, username: user, password: pass })
      },
      (cause: unknown) => {
        if (this.current === state) fail(cause instanceof Error ? cause.message : String(cause))
      },
    )
  }

  /** The transport closed: judge what was in flight, move on, then tell the layers. */
  private socketClosed(error: LiveTopicError | undefined): void {
    const wasConnected = this.current.name === 'connected'
    const explained = wasConnected ? this.suspects.dropped() : false
    // an attempt that fails shows the broker (or the network) was away: the last drop was no refusal;
    // unless the broker answered that it throttles us: it is up, the next attempt judges the drop
    if (!wasConnected && !isConnectThrottled(error)) this.suspects.brokerAway()
    if (this.current.name !== 'closed') {
      if (wasConnected) this.debug?.({ type: 'dropped', ...(error ? { error } : {}) })
      else if ('step' in this.current && this.current.step === 'opening')
        this.debug?.({ type: 'connect-failed', error: error ?? new LiveTopicError('CONNECTION_FAILED', 'could not connect to the broker') })
    }
    if (!wasConnected) this.lastConnectAt = Date.now()
    this.dispatch({ type: 'socket-closed', error, explained })
    if (wasConnected && this.current.name !== 'closed') for (const listener of this.listeners.dropped) listener(error)
  }

  private async closeTransport(): Promise<void> {
    try {
      await this.#transport.close()
    } catch {
      // closing is best effort: the socket may never have opened
    }
  }

  /** Writes `client.status` from the state (only when something a user sees changed). */
  private showStatus(state: State): void {
    const status: ConnectionStatus = state.name === 'closed' ? 'offline' : state.name
    const error = state.name === 'closed' ? undefined : errorOf(state)
    const next: ConnectionState = { status, clientId: this.settings.transport.clientId, attempt: this.attempts }
    if (error) next.error = error
    if (this.lastSessionPresent !== undefined) next.sessionPresent = this.lastSessionPresent
    if (this.role) next.role = this.role
    const prev = this.state.value
    if (
      prev &&
      prev.status === next.status &&
      prev.attempt === next.attempt &&
      prev.error === next.error &&
      prev.sessionPresent === next.sessionPresent &&
      prev.role === next.role
    )
      return
    setSafely(this.state, next)
  }
}

function errorOf(state: State): LiveTopicError | undefined {
  return 'error' in state ? state.error : undefined
}
