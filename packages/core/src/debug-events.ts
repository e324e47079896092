import type { LiveTopicError } from './errors.js'
import type { QoS } from './types.js'

/**
 * What `createClient({ onEvent })` reports, to tell why a connection fails or a topic stays
 * silent. URLs and errors are redacted (no token, password or signature). Not a stable log
 * format: new event types may be added.
 */
export type LiveTopicEvent =
  /** A connect attempt starts (the URL provider is asked now). */
  | { type: 'connect-attempt'; attempt: number }
  /** The URL provider (and credential functions) answered, after `ms`; `url` is redacted. */
  | { type: 'url-resolved'; ms: number; url: string }
  /** The URL provider threw, timed out or gave a URL that is not ws:// or wss://. */
  | { type: 'url-failed'; ms: number; error: LiveTopicError }
  /** CONNACK accepted the connection. */
  | { type: 'connack'; sessionPresent: boolean }
  /** The attempt failed: CONNACK refused it (`error.reasonCode`), or the socket did not open. */
  | { type: 'connect-failed'; error: LiveTopicError }
  /** A live connection dropped. */
  | { type: 'dropped'; error?: LiveTopicError }
  /** The next attempt waits `delay` ms (`offline`: until the browser is back online or the delay ends). */
  | { type: 'reconnect-scheduled'; attempt: number; delay: number; offline: boolean }
  /** livetopic stopped retrying (status `failed`). */
  | { type: 'gave-up'; error: LiveTopicError }
  /** One SUBSCRIBE packet. `isolated`: a suspect filter sent alone to learn whether the broker refuses it. */
  | { type: 'subscribe'; filters: readonly { filter: string; qos: QoS }[]; isolated: boolean }
  /** Its SUBACK: one granted QoS or failure code (≥ 0x80) per filter. */
  | { type: 'suback'; results: readonly { filter: string; code: number }[] }
  /** One UNSUBSCRIBE packet. */
  | { type: 'unsubscribe'; filters: readonly string[] }
  /**
   * The connection dropped while this SUBSCRIBE or QoS 1 PUBLISH waited for its answer, and the
   * next attempt connected at once (MQTT 3.1.1 only; reported at that CONNACK). First strike: it is
   * sent again alone (`suspect`). Second strike: read as the broker refusing it (`forbidden`, the
   * store or publish gets NOT_AUTHORIZED), as AWS IoT Core does under MQTT 3.1.1.
   */
  | { type: 'suspect' | 'forbidden'; kind: 'subscribe' | 'publish'; topic: string }
  /** Publishes waiting for the connection (queued) and sent but not yet acknowledged (inflight). */
  | { type: 'queue'; queued: number; inflight: number }

/** Where core sends debug events; undefined when the user gave no `onEvent` (then nothing is built). */
export type DebugSink = ((event: LiveTopicEvent) => void) | undefined
