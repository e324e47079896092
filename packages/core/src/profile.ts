import { LiveTopicError } from './errors.js'
import type { QoS } from './types.js'

/**
 * A broker's limits, checked on the client before anything is sent so a mistake becomes a clear
 * error instead of a dropped connection. `mqttProfile` is the spec; `awsIotProfile` (in
 * `@livetopic/core/aws`) adds AWS IoT Core's quotas.
 */
export interface Profile {
  /** Names the profile in LIMIT_EXCEEDED messages (`mqtt`, `aws-iot`). */
  readonly name: string
  /** Most filters in one SUBSCRIBE packet (AWS IoT: 8). */
  readonly maxFiltersPerSubscribe: number
  /** Highest QoS the broker grants (AWS IoT: 1). */
  readonly maxQos: QoS
  /** Throws LiveTopicError if a subscription to this (valid MQTT) filter must not be sent. */
  checkFilter(filter: string): void
  /** Throws LiveTopicError if this publish must not be sent. */
  checkPublish(topic: string, payloadBytes: number, options: { qos: QoS; retain: boolean }): void
  /** Whether a topic matches a filter on this broker (IoT: `a/#` does not match `a`). */
  readonly hashMatchesParent: boolean
  /** Throws LiveTopicError if the broker would refuse this client id (AWS IoT: at most 128 bytes). */
  checkClientId?(clientId: string): void
  /**
   * Least ms between two CONNECTs with one client id (AWS IoT: 1000, its 1 CONNECT/s quota), counted
   * from the broker's answer to the previous one: the client waits out the rest before any attempt,
   * `reconnect()` included. Default 0.
   */
  readonly minConnectInterval?: number
}

/** Plain MQTT 3.1.1/5 limits: the spec's 256 MB payload ceiling, every QoS. */
export const mqttProfile: Profile = {
  name: 'mqtt',
  maxFiltersPerSubscribe: 64,
  maxQos: 2,
  hashMatchesParent: true,
  checkFilter() {},
  checkPublish(topic, payloadBytes) {
    if (payloadBytes > 268_435_455) throw new LiveTopicError('PAYLOAD_TOO_LARGE', `payload of ${payloadBytes} bytes exceeds MQTT's maximum`, { topic })
  },
}
