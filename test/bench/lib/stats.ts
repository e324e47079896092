/** Median of a list of numbers (NaN when empty). */
export function median(values: readonly number[]): number {
  return percentile(values, 50)
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

/** Rounds for display and JSON: 3 significant digits below 100, integers above. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value
  if (Math.abs(value) >= 100) return Math.round(value)
  return Number(value.toPrecision(3))
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Nanoseconds per call of `fn`, measured over enough calls to last about `ms` milliseconds. */
export function nsPerOp(fn: () => void, ms = 200): number {
  // warm up and calibrate
  let n = 1
  for (;;) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < n; i++) fn()
    const took = Number(process.hrtime.bigint() - start) / 1e6
    if (took > ms / 10) {
      n = Math.max(1, Math.round((n * ms) / Math.max(took, 0.001)))
      break
    }
    n *= 4
  }
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) fn()
  return Number(process.hrtime.bigint() - start) / n
}
