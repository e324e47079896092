import type { LiveTopicErrorCode } from '../errors.js'
import type { QoS } from '../types.js'

/** A LiveTopicError as it crosses the channel (structured clone drops the class). */
export interface WireError {
  code: LiveTopicErrorCode
  message: string
  topic?: string
  reasonCode?: number
}

/** A follower's request to the leader, before addressing. */
export type Request =
  | { type: 'sub'; subs: { filter: string; qos: QoS }[] }
  | { type: 'unsub'; filters: string[] }
  | { type: 'pub'; topic: string; payload: Uint8Array | string; qos: QoS; retain: boolean }

/**
 * What tabs say to each other on the BroadcastChannel. Every message goes to every tab; `to`
 * names the one a request or answer is for. `session` names one connection of one leader
 * ('' = none), so an answer or a message from a connection that has since dropped is never taken
 * for a live one.
 */
export type Wire =
  | { type: 'hello'; from: string }
  | { type: 'bye'; from: string }
  | { type: 'state'; from: string; term: number; session: string; error?: WireError }
  | (Request & { from: string; to: string; id: number; session: string })
  | { type: 'answer'; to: string; id: number; codes?: number[]; error?: WireError }
  | { type: 'msg'; session: string; topic: string; payload: Uint8Array; qos: QoS; retained: boolean }
