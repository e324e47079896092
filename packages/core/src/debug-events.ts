import type { LiveTopicError } from './errors.js'
import type { QoS } from './types.js'

/**
 * What `createClient({ onEvent })` reports, to tell why a connection fails or a topic stays
 * silent. URLs and errors are redacted (no token, password or signature). Not a stable log
 * format: new event types may be added.
 */
export type LiveTopicEvent =
  /** A connect attempt starts (the URL provider is asked now). */
  | {
      /** The event's kind. */
      type: 'connect-attempt'
      /** Attempts since the last stable connection, this one included (1 = the first). */
      attempt: number
    }
  /** The URL provider (and credential functions) answered, after `ms`; `url` is redacted. */
  | {
      /** The event's kind. */
      type: 'url-resolved'
      /** How long the provider took (ms). */
      ms: number
      /** The URL to connect to, redacted. */
      url: string
    }
  /** The URL provider threw, timed out or gave a URL that is not ws:// or wss://. */
  | {
      /** The event's kind. */
      type: 'url-failed'
      /** How long until it failed (ms). */
      ms: number
      /** Why it failed (redacted). */
      error: LiveTopicError
    }
  /** CONNACK accepted the connection. */
  | {
      /** The event's kind. */
      type: 'connack'
      /** Whether the broker kept the session (MQTT `sessionPresent`). */
      sessionPresent: boolean
    }
  /** The attempt failed: CONNACK refused it (`error.reasonCode`), or the socket did not open. */
  | {
      /** The event's kind. */
      type: 'connect-failed'
      /** Why the attempt failed. */
      error: LiveTopicError
    }
  /** A live connection dropped. */
  | {
      /** The event's kind. */
      type: 'dropped'
      /** Why it dropped, when known. */
      error?: LiveTopicError
    }
  /** The next attempt waits `delay` ms (`offline`: until the browser is back online or the delay ends). */
  | {
      /** The event's kind. */
      type: 'reconnect-scheduled'
      /** Attempts made since the last stable connection. */
      attempt: number
      /** Wait before the next attempt (ms). */
      delay: number
      /** True while the browser reports itself offline (coming back online ends the wait). */
      offline: boolean
    }
  /** livetopic stopped retrying (status `failed`). */
  | {
      /** The event's kind. */
      type: 'gave-up'
      /** The last failure (the status's `error`). */
      error: LiveTopicError
    }
  /** One SUBSCRIBE packet. `isolated`: a suspect filter sent alone to learn whether the broker refuses it. */
  | {
      /** The event's kind. */
      type: 'subscribe'
      /** The filters in the packet, with the QoS asked for each. */
      filters: readonly {
        /** A topic filter. */
        filter: string
        /** The QoS asked for it. */
        qos: QoS
      }[]
      /** True when a suspect filter is sent alone. */
      isolated: boolean
    }
  /** Its SUBACK: one granted QoS or failure code (≥ 0x80) per filter. */
  | {
      /** The event's kind. */
      type: 'suback'
      /** The answer for each filter, in the SUBSCRIBE's order. */
      results: readonly {
        /** A topic filter. */
        filter: string
        /** Granted QoS (0–2) or failure code (≥ 0x80). */
        code: number
      }[]
    }
  /** One UNSUBSCRIBE packet. */
  | {
      /** The event's kind. */
      type: 'unsubscribe'
      /** The filters in the packet. */
      filters: readonly string[]
    }
  /**
   * The connection dropped while this SUBSCRIBE or QoS 1 PUBLISH waited for its answer, and the
   * next attempt connected at once (MQTT 3.1.1 only; reported at that CONNACK). First strike: it is
   * sent again alone (`suspect`). Second strike: read as the broker refusing it (`forbidden`, the
   * store or publish gets NOT_AUTHORIZED), as AWS IoT Core does under MQTT 3.1.1.
   */
  | {
      /** The event's kind. */
      type: 'suspect' | 'forbidden'
      /** Whether a SUBSCRIBE or a PUBLISH is suspected. */
      kind: 'subscribe' | 'publish'
      /** Its filter (subscribe) or topic (publish). */
      topic: string
    }
  /** Publishes waiting for the connection (queued) and sent but not yet acknowledged (inflight). */
  | {
      /** The event's kind. */
      type: 'queue'
      /** Publishes waiting for the connection. */
      queued: number
      /** Publishes sent, not yet acknowledged. */
      inflight: number
    }

/** Where core sends debug events; undefined when the user gave no `onEvent` (then nothing is built). */
export type DebugSink = ((event: LiveTopicEvent) => void) | undefined
