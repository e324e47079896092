// What @livetopic/devtools reads from a live client after it was created: its debug events, the
// messages it receives, its publishes and its subscriptions. Kept small (it ships in every
// bundle): one optional tap per kind, which the devtools fill and empty.
import type { LiveTopicEvent } from './debug-events.js'
import type { LiveTopicError } from './errors.js'
import type { QoS } from './types.js'

/** One filter the client has (or asks the broker for), as devtools show it. */
export interface TopicInspection {
  readonly filter: string
  /** `pending`: not sent yet; `inflight`: waiting for SUBACK; `stale`: kept across a drop; `forbidden`: refused. */
  readonly state: 'pending' | 'inflight' | 'subscribed' | 'stale' | 'forbidden'
  /** Topic stores and `onMessage` callbacks listening to it. */
  readonly listeners: number
  readonly error?: LiveTopicError | undefined
}

/** Where a client reports to its inspector; each tap unset (nothing reported) until one is set. */
export interface ClientTaps {
  /** Every debug event (as `onEvent` gets them). */
  event?: (event: LiveTopicEvent) => void
  /** Every message received, before any codec. */
  message?: (topic: string, payload: Uint8Array, qos: QoS, retained: boolean) => void
  /** Every `publish` call: the value before its codec, and the promise the caller got. */
  publish?: (topic: string, payload: unknown, sent: Promise<void>) => void
}

/** Read access to a live client, for devtools. */
export interface ClientInspector {
  /** Set a tap to listen, unset it to stop; a tap that throws is reported, never passed on. */
  readonly taps: ClientTaps
  /** Every filter the client holds now. */
  topics(): TopicInspection[]
}

/** Where a client made by createClient keeps its inspector (a registered symbol: any copy of core finds it). */
export const INSPECT = Symbol.for('livetopic.inspect')

/** The inspector of a client made by `createClient`; undefined for anything else. */
export function inspectClient(client: object): ClientInspector | undefined {
  return (client as { [INSPECT]?: ClientInspector })[INSPECT]
}
