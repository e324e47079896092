/**
 * A token bucket per key: `rate` tokens a second, holding at most `rate` (so a burst of `rate` passes
 * at once, then `rate` a second). Keys whose bucket has refilled are forgotten, so memory follows
 * the keys active within the last second.
 */
export class RateLimiter {
  readonly #rate: number
  readonly #buckets = new Map<string, { tokens: number; at: number }>()
  readonly #now: () => number

  constructor(ratePerSecond: number, now: () => number = () => performance.now()) {
    this.#rate = ratePerSecond
    this.#now = now
  }

  /** Takes a token for `key`; false when its bucket is empty (the caller refuses). */
  take(key: string): boolean {
    if (this.#rate === Infinity) return true
    const now = this.#now()
    if (this.#buckets.size > 1024) this.#forgetFull(now)
    const bucket = this.#buckets.get(key) ?? { tokens: this.#rate, at: now }
    bucket.tokens = Math.min(this.#rate, bucket.tokens + ((now - bucket.at) / 1000) * this.#rate)
    bucket.at = now
    this.#buckets.set(key, bucket)
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }

  #forgetFull(now: number): void {
    for (const [key, b] of this.#buckets) if (b.tokens + ((now - b.at) / 1000) * this.#rate >= this.#rate) this.#buckets.delete(key)
  }
}
