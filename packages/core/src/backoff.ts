import type { ReconnectOptions } from './types.js'

export type ResolvedReconnect = Required<ReconnectOptions>

export function resolveReconnect(options: ReconnectOptions = {}): ResolvedReconnect {
  return {
    initialDelay: options.initialDelay ?? 500,
    maxDelay: options.maxDelay ?? 30_000,
    factor: options.factor ?? 2,
    stableAfter: options.stableAfter ?? 10_000,
    maxAttempts: options.maxAttempts ?? Number.POSITIVE_INFINITY,
    connectTimeout: options.connectTimeout ?? 15_000,
  }
}

/**
 * Delay before reconnect attempt `attempt` (1-based): "full jitter", a uniform draw below an
 * exponentially growing cap, so many clients dropped at once do not come back in lockstep.
 */
export function backoffDelay(attempt: number, options: ResolvedReconnect, random: () => number = Math.random): number {
  const cap = Math.min(options.maxDelay, options.initialDelay * options.factor ** Math.max(0, attempt - 1))
  return Math.floor(random() * cap)
}
