import type { LiveTopicError } from './errors.js'
import type { QoS } from './types.js'

/** What the connection layer needs from an MQTT client; MQTT.js is one implementation. */
export interface Transport {
  /** Starts a connect attempt (the first or a later one) to `url`. Outcome arrives through the handlers. */
  open(url: string, credentials: { username?: string; password?: string }): void
  /** One SUBSCRIBE packet; resolves with the granted QoS or failure code (≥ 0x80) per filter. */
  subscribe(subscriptions: readonly { filter: string; qos: QoS }[]): Promise<number[]>
  /** One UNSUBSCRIBE packet. */
  unsubscribe(filters: readonly string[]): Promise<void>
  /**
   * Resolves on PUBACK (QoS 1), PUBCOMP (QoS 2) or once written (QoS 0); rejects with a {@link PublishFailure}.
   * Sent again after a resumed session (CONNACK with session present) with the same topic, retain flag and
   * payload bytes, an unacknowledged QoS 1 publish reuses its packet id with DUP set (MQTT 4.4): matched by
   * content, so the caller may pass a new payload object.
   */
  publish(topic: string, payload: Uint8Array | string, options: { qos: QoS; retain: boolean }): Promise<void>
  /** Sends DISCONNECT and closes; no reconnect follows. */
  close(): Promise<void>
  /** Drops the socket at once, without DISCONNECT (used when a CONNACK arrives after `close()`). */
  abort(): void
}

/**
 * How `publish` rejects. `retryable: true`: the connection dropped before an answer; the Publisher
 * requeues it for the next connection. `retryable: false`: final (refused by the broker, too large,
 * not supported by this transport); the Publisher rejects the caller's promise.
 */
export type PublishFailure = LiveTopicError & {
  /** True: requeue for the next connection; false: final, reject the caller's promise. */
  readonly retryable: boolean
}

/** Tags `error` as a publish failure (transports reject `publish` with this). */
export const publishFailure = (error: LiveTopicError, retryable: boolean): PublishFailure => Object.assign(error, { retryable })

/**
 * Whether a rejection of `publish` is final. Untagged (a transport of an older version, or one
 * forwarded between tabs): a reason code or NOT_AUTHORIZED is final, anything else retryable.
 */
export const isFinalPublishFailure = (error: LiveTopicError & { retryable?: boolean }): boolean =>
  error.retryable === undefined ? error.code === 'NOT_AUTHORIZED' || error.reasonCode !== undefined : !error.retryable

/** What a transport reports to the client. */
export interface TransportHandlers {
  /** Called on every CONNACK that accepts the connection. */
  onConnect(sessionPresent: boolean): void
  /** Called for every PUBLISH the broker delivers. */
  onMessage(topic: string, payload: Uint8Array, qos: QoS, retained: boolean): void
  /** The socket closed: an attempt that failed, or a connection that dropped. `error` says why when known. */
  onClose(error: LiveTopicError | undefined): void
  /** Optional: a transport shared across tabs says whether this tab owns the connection or borrows it. */
  onRole?(role: 'leader' | 'follower'): void
}

/** The connect options a transport is made with (from the client options). */
export interface TransportOptions {
  /** MQTT client id to connect with. */
  clientId: string
  /** 4 = MQTT 3.1.1, 5 = MQTT 5. */
  protocolVersion: 4 | 5
  /** Keep-alive in seconds. */
  keepalive: number
  /** Clean session (MQTT 3.1.1) / clean start (MQTT 5). */
  clean: boolean
  /** MQTT 5 session expiry in seconds, when set. */
  sessionExpiryInterval?: number
  /** Last will, its payload already encoded. */
  will?: {
    /** Topic the broker publishes the will on. */
    topic: string
    /** Encoded payload (a string goes as UTF-8). */
    payload: Uint8Array | string
    /** QoS of the will. */
    qos: QoS
    /** Whether the broker retains the will. */
    retain: boolean
  }
  /** WebSocket subprotocol to ask for. */
  wsSubprotocol: 'mqtt' | 'mqttv3.1'
  /** Extra headers for the WebSocket upgrade (Node only). */
  wsHeaders?: Record<string, string>
  /** How long one connect attempt may take (ms). */
  connectTimeout: number
  /** The profile's most filters per SUBSCRIBE (a transport shared across tabs batches other tabs' requests by it). */
  maxFiltersPerSubscribe?: number
  /** The profile's rule: whether `a/#` matches `a` (MQTT: yes; AWS IoT Core: no). */
  hashMatchesParent?: boolean
}

/** Makes a transport; `createClient` calls it once, with the options and its handlers. */
export type TransportFactory = (options: TransportOptions, handlers: TransportHandlers) => Transport
