import { atom, type ReadableAtom } from 'nanostores'
import { backoffDelay, type ResolvedReconnect } from './backoff.js'
import { LiveTopicError } from './errors.js'
import { redact } from './redact.js'
import type { Transport, TransportFactory, TransportOptions } from './transport.js'
import type { ConnectionState, QoS, UrlProvider } from './types.js'

type Credential = string | (() => string | undefined | Promise<string | undefined>) | undefined

export interface ConnectionSettings {
  url: UrlProvider
  username: Credential
  password: Credential
  reconnect: ResolvedReconnect
  /** The client id was chosen by the user, so another connection may share it. */
  fixedClientId: boolean
  transport: TransportOptions
}

/** What the connection tells the layers above it. */
export interface ConnectionListener {
  onConnect(sessionPresent: boolean): void
  onMessage(topic: string, payload: Uint8Array, qos: QoS, retained: boolean): void
  /** The connection dropped. Returns true when the drop is explained by something we sent (a forbidden topic). */
  onDisconnect(error: LiveTopicError | undefined): boolean
}

// Under MQTT 3.1.1 a client-id takeover looks like the broker closing a healthy connection, over
// and over, each reconnect succeeding at once. This many in a row is called a conflict.
const TAKEOVER_DROPS = 3

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

async function resolveCredential(value: Credential): Promise<string | undefined> {
  return typeof value === 'function' ? value() : value
}

/** One MQTT connection: lazy start, status store, reconnect with backoff, auth and conflict handling. */
export class Connection {
  private readonly state = atom<ConnectionState>({ status: 'idle', clientId: '', attempt: 0 })
  readonly status: ReadableAtom<ConnectionState> = this.state
  readonly transport: Transport
  private started = false
  private closed = false
  private everConnected = false
  private isConnected = false
  private attempts = 0
  private connectedAt = 0
  private quickDrops = 0
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private stableTimer: ReturnType<typeof setTimeout> | undefined
  private secrets: (string | undefined)[] = []

  constructor(
    private readonly settings: ConnectionSettings,
    createTransport: TransportFactory,
    private readonly listener: ConnectionListener,
  ) {
    this.state.set({ status: 'idle', clientId: settings.transport.clientId, attempt: 0 })
    this.transport = createTransport(settings.transport, {
      onConnect: (sessionPresent) => this.handleConnect(sessionPresent),
      onMessage: (...args) => listener.onMessage(...args),
      onClose: (error) => this.handleClose(error),
      onRole: (role) => this.update({ role }),
    })
  }

  get connected(): boolean {
    return this.isConnected
  }

  /** Starts connecting unless already started (first listener or publish). */
  ensureStarted(): void {
    if (this.started || this.closed) return
    this.started = true
    void this.attempt()
  }

  /** Tries again now, after `failed` or during a backoff wait. */
  retryNow(): void {
    if (this.closed) return
    if (!this.started) return this.ensureStarted()
    // only between attempts: waiting out a backoff, or stopped after `failed`
    if (this.isConnected || (this.retryTimer === undefined && this.state.get().status !== 'failed')) return
    clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    void this.attempt()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    clearTimeout(this.retryTimer)
    clearTimeout(this.stableTimer)
    this.update({ status: 'offline', error: undefined })
    if (this.started) await this.transport.close()
  }

  private update(patch: Partial<ConnectionState>): void {
    const next: ConnectionState = { ...this.state.get(), ...patch }
    if (next.error === undefined) delete next.error
    this.state.set(next)
  }

  private async attempt(): Promise<void> {
    this.retryTimer = undefined
    this.attempts++
    this.update({ status: this.everConnected ? 'reconnecting' : 'connecting', attempt: this.attempts })
    const { url, username, password, reconnect } = this.settings
    let resolved: [string, string | undefined, string | undefined]
    try {
      resolved = await withTimeout(
        Promise.all([typeof url === 'function' ? url() : url, resolveCredential(username), resolveCredential(password)]),
        reconnect.connectTimeout,
        'the URL provider',
      )
      if (typeof resolved[0] !== 'string' || !/^wss?:\/\//i.test(resolved[0]))
        throw new Error('the URL provider must give a ws:// or wss:// URL')
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause)
      return this.retryLater(new LiveTopicError('URL_PROVIDER_FAILED', `could not get a broker URL: ${redact(message, this.secrets)}`))
    }
    if (this.closed) return
    this.secrets = [resolved[1], resolved[2]]
    this.transport.open(resolved[0], {
      ...(resolved[1] === undefined ? {} : { username: resolved[1] }),
      ...(resolved[2] === undefined ? {} : { password: resolved[2] }),
    })
  }

  private handleConnect(sessionPresent: boolean): void {
    if (this.closed) return void this.transport.abort()
    this.isConnected = true
    this.everConnected = true
    this.connectedAt = Date.now()
    this.update({ status: 'connected', error: undefined, sessionPresent, attempt: this.attempts })
    clearTimeout(this.stableTimer)
    this.stableTimer = setTimeout(() => {
      this.attempts = 0
      this.quickDrops = 0
      this.update({ attempt: 0 })
    }, this.settings.reconnect.stableAfter)
    this.listener.onConnect(sessionPresent)
  }

  private handleClose(error: LiveTopicError | undefined): void {
    const wasConnected = this.isConnected
    this.isConnected = false
    clearTimeout(this.stableTimer)
    const explained = wasConnected ? this.listener.onDisconnect(error) : false
    if (this.closed) return
    if (error?.code === 'CLIENT_ID_CONFLICT') return this.fail(error)
    if (error?.code === 'NOT_AUTHORIZED' && !wasConnected) {
      // A refused login is not retried in a hot loop: a static URL cannot change its answer, and a
      // provider gets one slow retry (its token may have been refreshed meanwhile).
      if (typeof this.settings.url === 'function') return this.retryLater(error, this.settings.reconnect.maxDelay, 'failed')
      return this.fail(error)
    }
    const lived = Date.now() - this.connectedAt
    if (wasConnected && !explained && this.settings.fixedClientId && lived < this.settings.reconnect.stableAfter && error?.reasonCode === undefined)
      this.quickDrops++
    else if (wasConnected) this.quickDrops = 0
    if (this.quickDrops >= TAKEOVER_DROPS)
      return this.fail(new LiveTopicError('CLIENT_ID_CONFLICT',
        `the broker keeps closing the connection right after connect: another client is probably using client id "${this.settings.transport.clientId}"`))
    this.retryLater(error)
  }

  private fail(error: LiveTopicError): void {
    clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    this.update({ status: 'failed', error })
  }

  private retryLater(error: LiveTopicError | undefined, delay?: number, status?: ConnectionState['status']): void {
    if (this.closed) return
    const { reconnect } = this.settings
    if (this.attempts >= reconnect.maxAttempts) return this.fail(error ?? new LiveTopicError('CONNECTION_FAILED', 'gave up reconnecting'))
    const online = typeof navigator === 'undefined' || navigator.onLine !== false
    this.update({ status: online ? (status ?? (this.everConnected ? 'reconnecting' : 'connecting')) : 'offline', error })
    if (!online && typeof addEventListener === 'function') {
      // no point burning attempts while the browser knows it is offline
      addEventListener('online', () => this.retryNow(), { once: true })
    }
    this.retryTimer = setTimeout(() => void this.attempt(), delay ?? backoffDelay(this.attempts, reconnect))
  }
}
