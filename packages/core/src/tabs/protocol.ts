import type { LiveTopicErrorCode } from '../errors.js'
import type { QoS } from '../types.js'

/**
 * Version of the messages below. Tabs of another version (two builds of an app open during a
 * deploy) use other channel and lock names, so they never meet; every message carries it too.
 */
export const PROTOCOL = 2

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
  | { type: 'state'; from: string; session: string; error?: WireError }
  | (Request & { from: string; to: string; id: number; session: string })
  | { type: 'answer'; to: string; id: number; codes?: number[]; error?: WireError }
  | { type: 'msg'; session: string; topic: string; payload: Uint8Array; qos: QoS; retained: boolean }

type Fields = Record<string, unknown>
const text = (x: unknown): x is string => typeof x === 'string'
const qos = (x: unknown): boolean => x === 0 || x === 1 || x === 2
const list = (x: unknown, each: (item: unknown) => boolean): boolean => Array.isArray(x) && x.every(each)
const error = (x: unknown): boolean => x === undefined || (typeof x === 'object' && x !== null && text((x as Fields).code) && text((x as Fields).message))
const addressed = (m: Fields): boolean => text(m.from) && text(m.to) && typeof m.id === 'number' && text(m.session)

/**
 * The message if it is one of this version's, well formed; undefined for anything else (`null`,
 * garbage, another version): a confused tab is ignored, never a throw in this one.
 */
export function parse(data: unknown): Wire | undefined {
  if (typeof data !== 'object' || data === null || (data as Fields).v !== PROTOCOL) return undefined
  const m = data as Fields
  const ok =
    m.type === 'hello' || m.type === 'bye'
      ? text(m.from)
      : m.type === 'state'
        ? text(m.from) && text(m.session) && error(m.error)
        : m.type === 'answer'
          ? text(m.to) && typeof m.id === 'number' && (m.codes === undefined || list(m.codes, (c) => typeof c === 'number')) && error(m.error)
          : m.type === 'msg'
            ? text(m.session) && text(m.topic) && m.payload instanceof Uint8Array && qos(m.qos) && typeof m.retained === 'boolean'
            : m.type === 'sub'
              ? addressed(m) && list(m.subs, (s) => typeof s === 'object' && s !== null && text((s as Fields).filter) && qos((s as Fields).qos))
              : m.type === 'unsub'
                ? addressed(m) && list(m.filters, text)
                : m.type === 'pub' &&
                  addressed(m) &&
                  text(m.topic) &&
                  (text(m.payload) || m.payload instanceof Uint8Array) &&
                  qos(m.qos) &&
                  typeof m.retain === 'boolean'
  return ok ? (m as Wire) : undefined
}
