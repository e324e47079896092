import { redact } from './redact.js'

/** Every failure a user of livetopic can meet, by cause. */
export type LiveTopicErrorCode =
  | 'INVALID_TOPIC'
  | 'INVALID_OPTIONS'
  | 'PAYLOAD_TOO_LARGE'
  | 'ENCODE_FAILED'
  | 'DECODE_FAILED'
  | 'NOT_AUTHORIZED'
  | 'QUEUE_FULL'
  | 'CONNECTION_FAILED'
  | 'CONNECTION_LOST'
  | 'CLIENT_ID_CONFLICT'
  | 'LIMIT_EXCEEDED'
  | 'URL_PROVIDER_FAILED'
  | 'PROTOCOL_ERROR'
  | 'CLOSED'

// The entries share one copy of this class per build (tsup splits ESM and CJS alike), but an app
// can still load two: the ESM and the CJS build side by side (the dual-package hazard), or two
// installed versions. A registered symbol makes `instanceof` and isLiveTopicError work across copies.
const BRAND: unique symbol = Symbol.for('livetopic.LiveTopicError') as never

/**
 * The one error class livetopic throws, rejects with or stores in state.
 * Its message never carries tokens, passwords or signatures (they are redacted).
 */
export class LiveTopicError extends Error {
  /** Always `'LiveTopicError'`. */
  override readonly name = 'LiveTopicError'
  /** @internal marks every copy of the class alike */
  readonly [BRAND] = true
  /** What went wrong, by cause: branch on this, not on the message. */
  readonly code: LiveTopicErrorCode
  /** The topic or filter concerned, when there is one. */
  readonly topic?: string
  /** MQTT reason or return code from the broker, when there is one. */
  readonly reasonCode?: number

  /** True for any copy of this class (ESM and CJS builds, two installed versions). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true
  }

  /** Redacts `message`; keeps only the redacted message and name of `details.cause`. */
  constructor(code: LiveTopicErrorCode, message: string, details: { topic?: string; reasonCode?: number; cause?: unknown } = {}) {
    super(redact(message), details.cause === undefined ? undefined : { cause: sanitizeCause(details.cause) })
    this.code = code
    if (details.topic !== undefined) this.topic = details.topic
    if (details.reasonCode !== undefined) this.reasonCode = details.reasonCode
  }
}

/** True for a LiveTopicError, optionally of one code. */
export function isLiveTopicError(value: unknown, code?: LiveTopicErrorCode): value is LiveTopicError {
  return value instanceof LiveTopicError && (code === undefined || value.code === code)
}

// A cause from a socket library may quote the URL (with its token); keep only a redacted message.
function sanitizeCause(cause: unknown): Error {
  const message = cause instanceof Error ? cause.message : String(cause)
  const clean = new Error(redact(message))
  if (cause instanceof Error) clean.name = cause.name
  return clean
}
