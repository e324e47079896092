import { LiveTopicError, type QoS, type Transport, type TransportFactory, type TransportHandlers, type TransportOptions } from '@livetopic/core'

/** What the fake broker does with one connect attempt. */
type ConnectOutcome = { accept: true; sessionPresent?: boolean } | { refuse: LiveTopicError } | 'hang'

/** What the fake broker does with one SUBSCRIBE filter or one PUBLISH: answer, hold (no answer yet) or hang up. */
export type PacketOutcome = 'answer' | 'hold' | 'drop'

export interface FakeScript {
  /** Each connect attempt (1-based); default: accept, no session. */
  connect?: (attempt: number, url: string, credentials: { username?: string; password?: string }) => ConnectOutcome
  /** SUBACK code for a filter; default: the requested QoS. */
  suback?: (filter: string, qos: QoS) => number
  /** A SUBSCRIBE packet: answered (default), held, or the connection is closed (AWS IoT under 3.1.1 on a forbidden filter). */
  onSubscribe?: (filters: readonly string[]) => PacketOutcome
  /** A PUBLISH: acknowledged (default), held, or the connection is closed. */
  onPublish?: (topic: string, qos: QoS) => PacketOutcome
}

interface Held<T> {
  resolve: (value: T) => void
  reject: (error: LiveTopicError) => void
}

/**
 * A scriptable in-memory `Transport` for unit tests on fake timers: it connects, refuses, drops,
 * answers SUBSCRIBE and PUBLISH as `script` says, and logs every packet. Outcomes arrive on a
 * microtask, as a socket's would arrive on a later event.
 */
export class FakeTransport {
  readonly options: TransportOptions[] = []
  readonly opens: { url: string; credentials: { username?: string; password?: string } }[] = []
  readonly subscribes: { filter: string; qos: QoS }[][] = []
  readonly unsubscribes: string[][] = []
  readonly publishes: { topic: string; payload: Uint8Array | string; qos: QoS; retain: boolean }[] = []
  closes = 0
  aborts = 0
  connected = false
  private handlers: TransportHandlers | undefined
  private readonly held: Held<never>[] = []

  constructor(private readonly script: FakeScript = {}) {}

  /** Pass as `createClient(options, fake.factory)`. */
  readonly factory: TransportFactory = (options, handlers) => {
    this.options.push(options)
    this.handlers = handlers
    return this.transport
  }

  /** The broker closes the connection (or the network drops it). */
  drop(error: LiveTopicError | undefined = new LiveTopicError('CONNECTION_LOST', 'the connection to the broker closed')): void {
    if (!this.connected) return
    this.connected = false
    for (const held of this.held.splice(0)) held.reject(new LiveTopicError('CONNECTION_LOST', 'connection closed'))
    this.handlers?.onClose(error)
  }

  /** Completes a connect attempt left hanging (`'hang'`): the CONNACK arrives now. */
  completeConnect(sessionPresent = false): void {
    this.connected = true
    this.handlers?.onConnect(sessionPresent)
  }

  /** A message from the broker. */
  deliver(topic: string, payload: string | Uint8Array, qos: QoS = 0, retained = false): void {
    this.handlers?.onMessage(topic, typeof payload === 'string' ? new TextEncoder().encode(payload) : payload, qos, retained)
  }

  /** Answers every held SUBSCRIBE and PUBLISH. */
  answerHeld(): void {
    for (const held of this.held.splice(0)) held.resolve(undefined as never)
  }

  private readonly transport: Transport = {
    open: (url, credentials) => {
      this.opens.push({ url, credentials })
      const outcome = this.script.connect?.(this.opens.length, url, credentials) ?? { accept: true }
      if (outcome === 'hang') return
      queueMicrotask(() => {
        if ('refuse' in outcome) return this.handlers?.onClose(outcome.refuse)
        this.connected = true
        this.handlers?.onConnect(outcome.sessionPresent ?? false)
      })
    },
    subscribe: (subscriptions) => {
      this.subscribes.push([...subscriptions])
      const codes = subscriptions.map((s) => this.script.suback?.(s.filter, s.qos) ?? s.qos)
      return this.answer(this.script.onSubscribe?.(subscriptions.map((s) => s.filter)) ?? 'answer', codes)
    },
    unsubscribe: (filters) => {
      this.unsubscribes.push([...filters])
      return Promise.resolve()
    },
    publish: (topic, payload, { qos, retain }) => {
      this.publishes.push({ topic, payload, qos, retain })
      return this.answer(this.script.onPublish?.(topic, qos) ?? 'answer', undefined)
    },
    close: () => {
      this.closes++
      this.connected = false
      return Promise.resolve()
    },
    abort: () => {
      this.aborts++
      this.connected = false
    },
  }

  private answer<T>(outcome: PacketOutcome, value: T): Promise<T> {
    if (!this.connected) return Promise.reject(new LiveTopicError('CONNECTION_LOST', 'not connected'))
    return new Promise<T>((resolve, reject) => {
      // held until answered, so that a drop first rejects it, as a closing socket does
      const held: Held<never> = { resolve: () => resolve(value), reject }
      this.held.push(held)
      if (outcome === 'answer')
        queueMicrotask(() => {
          const index = this.held.indexOf(held)
          if (index < 0) return
          this.held.splice(index, 1)
          held.resolve(undefined as never)
        })
      if (outcome === 'drop') queueMicrotask(() => this.drop())
    })
  }
}
