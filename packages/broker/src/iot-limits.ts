import {
  MAX_CLIENT_ID_BYTES,
  MAX_FILTERS_PER_SUBSCRIBE,
  MAX_KEEP_ALIVE_SECONDS,
  MAX_PAYLOAD_BYTES,
  MAX_TOPIC_BYTES,
  MAX_TOPIC_SLASHES,
  MIN_KEEP_ALIVE_SECONDS,
} from '@livetopic/iot'

export { iotFilterMatches, isReservedTopic, topicLimitError } from '@livetopic/iot'

/** AWS IoT Core's default message-broker limits (from `@livetopic/iot`), plus the stand-in's own guards. */
export const IOT_LIMITS = {
  /** Bytes of one PUBLISH payload. */
  maxPayloadBytes: MAX_PAYLOAD_BYTES,
  /** Bytes of a topic or topic filter, UTF-8. */
  maxTopicBytes: MAX_TOPIC_BYTES,
  /** Slashes in a topic or filter. */
  maxTopicSlashes: MAX_TOPIC_SLASHES,
  /** Topic filters in one SUBSCRIBE. */
  maxFiltersPerSubscribe: MAX_FILTERS_PER_SUBSCRIBE,
  /** Bytes a connection may send before its CONNECT is accepted: IoT refuses CONNECTs over 128 KB; the rest is headroom for packets sent right behind it. */
  maxBytesBeforeConnect: 144 * 1024,
  /** Milliseconds a connection has to send its CONNECT (IoT documents no figure; aedes' default is 30 s). */
  connectTimeoutMs: 10_000,
  /** Bytes of one WebSocket message (ws' default is 100 MiB, all buffered before the broker sees any). */
  maxWebSocketMessageBytes: 1024 * 1024,
  /** Bytes of a client id. */
  maxClientIdBytes: MAX_CLIENT_ID_BYTES,
  /** Keep-alive bounds in seconds (lower values are raised to 30). */
  minKeepAlive: MIN_KEEP_ALIVE_SECONDS,
  /** Highest keep-alive in seconds (1200); 0 or a higher value is lowered to it. */
  maxKeepAlive: MAX_KEEP_ALIVE_SECONDS,
} as const
