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
  /** Resolves on PUBACK (QoS 1), PUBCOMP (QoS 2) or once written (QoS 0). */
  publish(topic: string, payload: Uint8Array | string, options: { qos: QoS; retain: boolean }): Promise<void>
  /** Sends DISCONNECT and closes; no reconnect follows. */
  close(): Promise<void>
  /** Drops the socket at once, without DISCONNECT (used when a CONNACK arrives after `close()`). */
  abort(): void
}

export interface TransportHandlers {
  onConnect(sessionPresent: boolean): void
  onMessage(topic: string, payload: Uint8Array, qos: QoS, retained: boolean): void
  /** The socket closed: an attempt that failed, or a connection that dropped. `error` says why when known. */
  onClose(error: LiveTopicError | undefined): void
  /** Optional: a transport shared across tabs says whether this tab owns the connection or borrows it. */
  onRole?(role: 'leader' | 'follower'): void
}

export interface TransportOptions {
  clientId: string
  protocolVersion: 4 | 5
  keepalive: number
  clean: boolean
  sessionExpiryInterval?: number
  will?: { topic: string; payload: Uint8Array | string; qos: QoS; retain: boolean }
  wsSubprotocol: 'mqtt' | 'mqttv3.1'
  wsHeaders?: Record<string, string>
  connectTimeout: number
  /** The profile's most filters per SUBSCRIBE (a transport shared across tabs batches other tabs' requests by it). */
  maxFiltersPerSubscribe?: number
  /** The profile's rule: whether `a/#` matches `a` (MQTT: yes; AWS IoT Core: no). */
  hashMatchesParent?: boolean
}

export type TransportFactory = (options: TransportOptions, handlers: TransportHandlers) => Transport
