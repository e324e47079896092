/** AWS IoT Core's default message-broker limits, as the stand-in enforces them. */
export const IOT_LIMITS = {
  /** Bytes of one PUBLISH payload. */
  maxPayloadBytes: 128 * 1024,
  /** Bytes of a topic or topic filter, UTF-8. */
  maxTopicBytes: 256,
  /** Slashes in a topic or filter. */
  maxTopicSlashes: 7,
  /** Topic filters in one SUBSCRIBE. */
  maxFiltersPerSubscribe: 8,
  /** Bytes a connection may send before its CONNECT is accepted: IoT refuses CONNECTs over 128 KB; the rest is headroom for packets sent right behind it. */
  maxBytesBeforeConnect: 144 * 1024,
  /** Milliseconds a connection has to send its CONNECT (IoT documents no figure; aedes' default is 30 s). */
  connectTimeoutMs: 10_000,
  /** Bytes of one WebSocket message (ws' default is 100 MiB, all buffered before the broker sees any). */
  maxWebSocketMessageBytes: 1024 * 1024,
  /** Bytes of a client id. */
  maxClientIdBytes: 128,
  /** Keep-alive bounds in seconds (lower values are raised to 30). */
  minKeepAlive: 30,
  maxKeepAlive: 1200,
} as const

/** Why a topic or filter breaks IoT's limits, or undefined when it is fine. */
export function topicLimitError(topic: string): string | undefined {
  if (Buffer.byteLength(topic, 'utf8') > IOT_LIMITS.maxTopicBytes) return `longer than ${IOT_LIMITS.maxTopicBytes} bytes`
  if ((topic.match(/\//g)?.length ?? 0) > IOT_LIMITS.maxTopicSlashes) return `more than ${IOT_LIMITS.maxTopicSlashes} slashes`
  return undefined
}

/** `$`-prefixed topics are reserved: clients and the HTTP API may not publish there. */
export const isReservedTopic = (topic: string): boolean => topic.startsWith('$')

/** MQTT filter matching with IoT's twist: `a/#` does NOT match `a`. */
export function iotFilterMatches(filter: string, topic: string): boolean {
  const f = filter.split('/')
  const t = topic.split('/')
  // [MQTT-4.7.2-1]: wildcards at the first level do not match `$` topics
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return t.length > i
    if (i >= t.length) return false
    if (f[i] !== '+' && f[i] !== t[i]) return false
  }
  return f.length === t.length
}
