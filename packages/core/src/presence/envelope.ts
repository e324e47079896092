import { LiveTopicError } from '../errors.js'
import type { PresenceConnection } from './types.js'

/** What one connection announces: its state, when it joined and when it said so. */
export interface PresenceEnvelope {
  v: 1
  state: unknown
  /** When this state was announced (ms). */
  at: number
  /** When the connection joined (ms). */
  since: number
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const time = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined)

/** Reads an envelope sent by `clientId`; a payload of another shape is a DECODE_FAILED error. */
export function readEnvelope(clientId: string, payload: unknown, topic: string): PresenceConnection | LiveTopicError {
  const at = isRecord(payload) ? time(payload.at) : undefined
  if (!isRecord(payload) || payload.v !== 1 || at === undefined)
    return new LiveTopicError('DECODE_FAILED', `presence on "${topic}" is not a presence announcement`, { topic })
  const since = time(payload.since)
  return { clientId, state: payload.state, updatedAt: at, ...(since === undefined ? {} : { connectedAt: since }) }
}

/** Checks that a client id can be one topic level (no `/`, `+`, `#`). */
export function topicLevel(clientId: string, strategy: string): string {
  if (clientId === '' || /[/+#]/.test(clientId))
    throw new LiveTopicError('INVALID_OPTIONS', `${strategy}: client id "${clientId}" cannot be a topic level (no /, + or #)`)
  return clientId
}

/** Checks a topic prefix: non-empty, no wildcards, no trailing `/`. */
export function checkPrefix(prefix: string, option: string): string {
  if (typeof prefix !== 'string' || prefix === '' || /[+#]/.test(prefix) || prefix.endsWith('/') || prefix.startsWith('$'))
    throw new LiveTopicError('INVALID_OPTIONS', `${option} must be a topic without wildcards or a trailing /, got "${String(prefix)}"`)
  return prefix
}
