import type { LiveTopicError } from './errors.js'
import type { ReconnectOptions } from './types.js'

/** The reconnect options with their defaults, plus the profile's pacing of CONNECTs. */
export type ResolvedReconnect = Required<ReconnectOptions> & {
  /** Least ms between two CONNECTs (the profile's `minConnectInterval`, 0 = none). */
  readonly minConnectInterval: number
}

export function resolveReconnect(options: ReconnectOptions = {}, minConnectInterval = 0): ResolvedReconnect {
  return {
    initialDelay: options.initialDelay ?? 500,
    maxDelay: options.maxDelay ?? 30_000,
    factor: options.factor ?? 2,
    stableAfter: options.stableAfter ?? 10_000,
    maxAttempts: options.maxAttempts ?? Number.POSITIVE_INFINITY,
    connectTimeout: options.connectTimeout ?? 15_000,
    minConnectInterval,
  }
}

/**
 * Delay before reconnect attempt `attempt` (1-based): "full jitter", a uniform draw below an
 * exponentially growing cap, so many clients dropped at once do not come back in lockstep.
 */
export function backoffDelay(attempt: number, options: Required<ReconnectOptions>, random: () => number = Math.random): number {
  const cap = Math.min(options.maxDelay, options.initialDelay * options.factor ** Math.max(0, attempt - 1))
  return Math.floor(random() * cap)
}

/**
 * Ms still to wait before a CONNECT may start when the previous one was at `last` (`Date.now()`
 * time; undefined: none yet) and the broker allows one per `minInterval` ms per client id (AWS IoT
 * Core: 1 s). 0 when it may start now.
 */
export function connectPause(last: number | undefined, minInterval: number, now: number = Date.now()): number {
  return last === undefined ? 0 : Math.max(0, last + minInterval - now)
}

// CONNACK codes that say "not now" rather than "not you": 3.1.1's 3 "server unavailable" (what AWS IoT
// Core answers past 1 CONNECT/s per client id), MQTT 5's 0x88 server unavailable (its translation, which
// aedes sends), 0x89 server busy, 0x97 quota exceeded and 0x9F connection rate exceeded. (3 is no
// MQTT 5 code, the others no 3.1.1 code: one set serves both.)
const THROTTLE_CODES: ReadonlySet<number> = new Set([3, 0x88, 0x89, 0x97, 0x9f])

/**
 * True when a failed connect attempt was the broker throttling us: retried with backoff like any
 * failed attempt, but it proves the broker is up, so it is no evidence about the last drop.
 */
export function isConnectThrottled(error: LiveTopicError | undefined): boolean {
  return error?.code === 'CONNECTION_FAILED' && error.reasonCode !== undefined && THROTTLE_CODES.has(error.reasonCode)
}
