import {
  DEFAULT_SESSION_EXPIRY_SECONDS,
  MAX_IN_FLIGHT_MESSAGES,
  MAX_PACKET_BYTES,
  MAX_CONNECTS_PER_SECOND_PER_CLIENT_ID,
  MAX_PUBLISHES_PER_SECOND_PER_CONNECTION,
  MAX_RETAINED_MESSAGE_BYTES,
  MAX_RETAINED_MESSAGES_PER_ACCOUNT,
  MAX_SESSION_EXPIRY_SECONDS,
  MAX_SUBSCRIPTIONS_PER_CONNECTION,
  TOPIC_ALIAS_MAXIMUM,
} from '@livetopic/iot'

/**
 * IoT Core's quotas as the stand-in enforces them; each defaults to IoT's figure (from
 * `@livetopic/iot`). `Infinity` turns a count or rate off.
 */
export interface BrokerQuotas {
  /** Topic filters one connection may hold; IoT: 50. A SUBSCRIBE past it closes the connection. */
  subscriptionsPerConnection?: number
  /** PUBLISH packets per second one connection may send (bursts of as many pass); IoT: 100. */
  publishesPerSecondPerConnection?: number
  /** CONNECTs per second for one client id; IoT: 1. A faster one gets CONNACK 3 (server unavailable). */
  connectsPerSecondPerClientId?: number
  /** Seconds an offline persistent session is kept; IoT: 3600 by default, configurable up to 604800 (7 days). */
  sessionExpirySeconds?: number
  /**
   * QoS 1 messages queued for one offline persistent session; newer ones are dropped. The stand-in's
   * own bound (default 1000): IoT documents a rate per account (500 queued messages/s), not a count.
   */
  queuedMessagesPerSession?: number
  /** Retained messages over the whole broker (IoT: per account, 500,000). */
  retainedMessages?: number
  /** Payload bytes of one retained message; IoT: 128 KB, the payload limit. */
  retainedMessageBytes?: number
  /**
   * Payload bytes of all retained messages together. The stand-in's own bound (default 64 MiB):
   * IoT's 500,000 × 128 KB would be 64 GB of one laptop's memory.
   */
  retainedBytesTotal?: number
  /** MQTT 5: highest Topic Alias a client may send (CONNACK Topic Alias Maximum); IoT: 8. Above it: DISCONNECT 0x94. */
  topicAliasMaximum?: number
  /**
   * MQTT 5: unacknowledged QoS 1 PUBLISH a client may send at once (CONNACK Receive Maximum); IoT: 100
   * ("Maximum inbound unacknowledged messages"). Advertised; aedes does not enforce it.
   */
  receiveMaximum?: number
  /** MQTT 5: bytes of one packet the stand-in accepts (CONNACK Maximum Packet Size); IoT's bound: 146 KB. Over it: DISCONNECT 0x95. */
  maximumPacketSize?: number
}

/** Quotas with every figure resolved. */
export type ResolvedQuotas = Required<BrokerQuotas>

/** The stand-in's default bound on all retained payloads together (no IoT figure). */
const DEFAULT_RETAINED_BYTES_TOTAL = 64 * 1024 * 1024

/** The stand-in's default cap on a session's queue (no IoT figure; see {@link BrokerQuotas.queuedMessagesPerSession}). */
const DEFAULT_QUEUED_MESSAGES_PER_SESSION = 1000

/** Fills in IoT's defaults and checks each figure; throws a RangeError naming the bad one. */
export function resolveQuotas(quotas: BrokerQuotas = {}, allowShortDurations = false): ResolvedQuotas {
  const resolved: ResolvedQuotas = {
    subscriptionsPerConnection: quotas.subscriptionsPerConnection ?? MAX_SUBSCRIPTIONS_PER_CONNECTION,
    publishesPerSecondPerConnection: quotas.publishesPerSecondPerConnection ?? MAX_PUBLISHES_PER_SECOND_PER_CONNECTION,
    connectsPerSecondPerClientId: quotas.connectsPerSecondPerClientId ?? MAX_CONNECTS_PER_SECOND_PER_CLIENT_ID,
    sessionExpirySeconds: quotas.sessionExpirySeconds ?? DEFAULT_SESSION_EXPIRY_SECONDS,
    queuedMessagesPerSession: quotas.queuedMessagesPerSession ?? DEFAULT_QUEUED_MESSAGES_PER_SESSION,
    retainedMessages: quotas.retainedMessages ?? MAX_RETAINED_MESSAGES_PER_ACCOUNT,
    retainedMessageBytes: quotas.retainedMessageBytes ?? MAX_RETAINED_MESSAGE_BYTES,
    retainedBytesTotal: quotas.retainedBytesTotal ?? DEFAULT_RETAINED_BYTES_TOTAL,
    topicAliasMaximum: quotas.topicAliasMaximum ?? TOPIC_ALIAS_MAXIMUM,
    receiveMaximum: quotas.receiveMaximum ?? MAX_IN_FLIGHT_MESSAGES,
    maximumPacketSize: quotas.maximumPacketSize ?? MAX_PACKET_BYTES,
  }
  for (const [name, value] of Object.entries(resolved)) {
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
      throw new RangeError(`quotas.${name} must be a number ≥ 0 (or Infinity), got ${String(value)}`)
    }
  }
  // MQTT 5 carries these in 2 or 4 bytes; `Infinity` turns the bound off (not advertised)
  for (const [name, top] of [
    ['topicAliasMaximum', 65535],
    ['receiveMaximum', 65535],
    ['maximumPacketSize', 268_435_460],
  ] as const) {
    const value = resolved[name]
    if (value !== Infinity && (!Number.isInteger(value) || value > top || (name !== 'topicAliasMaximum' && value === 0))) {
      throw new RangeError(`quotas.${name} must be a whole number ${name === 'topicAliasMaximum' ? '0' : '1'}–${top} (or Infinity), got ${value}`)
    }
  }
  const expiry = resolved.sessionExpirySeconds
  const shortest = allowShortDurations ? 0 : DEFAULT_SESSION_EXPIRY_SECONDS
  if (expiry > MAX_SESSION_EXPIRY_SECONDS || expiry < shortest || (allowShortDurations && expiry === 0)) {
    throw new RangeError(
      `quotas.sessionExpirySeconds must be ${shortest > 0 ? `${shortest}` : 'above 0'}–${MAX_SESSION_EXPIRY_SECONDS} s ` +
        `as on IoT Core${allowShortDurations ? '' : ' (testing.allowShortDurations allows shorter)'}, got ${expiry}`,
    )
  }
  return resolved
}
