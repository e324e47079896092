import { MAX_PAYLOAD_BYTES } from '@livetopic/iot'
import { LiveTopicError } from '../errors.js'

/** Default cap on one member's state, in bytes of JSON: room for a name, a status, a cursor. */
export const DEFAULT_MAX_STATE_BYTES = 1024
// what the envelope ({"v":1,"at":…,"since":…,"state":…}) and a roster entry may add around a state
const ENVELOPE_BYTES = 1024
/** Largest cap allowed: IoT Core's payload limit (128 KB) less room for the envelope. */
export const MAX_STATE_BYTES = MAX_PAYLOAD_BYTES - ENVELOPE_BYTES

const encoder = /* @__PURE__ */ new TextEncoder()

/** Checks a `maxStateBytes` option: a whole number from 1 to {@link MAX_STATE_BYTES}. */
export function checkMaxStateBytes(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_STATE_BYTES
  if (!Number.isInteger(value) || value < 1 || value > MAX_STATE_BYTES)
    throw new LiveTopicError('INVALID_OPTIONS', `maxStateBytes must be a whole number from 1 to ${MAX_STATE_BYTES}, got ${String(value)}`)
  return value
}

/**
 * Checks that `state` is JSON (what every member can read back) within `maxBytes`; returns the
 * value as it will travel (through a JSON round trip, so `me` shows what others see).
 */
export function checkMemberState(state: unknown, maxBytes: number): unknown {
  let text: string | undefined
  try {
    text = JSON.stringify(state)
  } catch (cause) {
    throw new LiveTopicError('ENCODE_FAILED', 'presence state must be JSON (no cycles, no BigInt)', { cause })
  }
  if (text === undefined) throw new LiveTopicError('ENCODE_FAILED', `presence state must be JSON, got ${typeof state}`)
  const bytes = encoder.encode(text).length
  if (bytes > maxBytes) throw new LiveTopicError('PAYLOAD_TOO_LARGE', `presence state is ${bytes} bytes of JSON, over maxStateBytes (${maxBytes})`)
  return JSON.parse(text) as unknown
}
