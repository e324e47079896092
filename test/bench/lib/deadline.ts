// Deadlines for benchmark phases: a stalled run (a subscriber disconnected, a message lost, a
// broker gone) fails with what it was waiting for instead of hanging the runner.

/** A benchmark phase that did not finish within its deadline. */
export class StalledError extends Error {
  constructor(
    /** What the run was waiting for, e.g. "20000 PUBACKs (QoS 1, livetopic)". */
    readonly waitingFor: string,
    readonly ms: number,
    /** Progress when it stalled, when the phase knows it (e.g. "12034 of 20000 acknowledged"). */
    readonly progress?: string,
  ) {
    super(`stalled: waiting for ${waitingFor} after ${ms} ms${progress ? ` (${progress})` : ''}`)
    this.name = 'StalledError'
  }
}

/** What the current phase is waiting for: named in the failed row when the whole run overruns. */
let current = 'the benchmark to start'

/** The phase the run is in (for the overall deadline's report). */
export const currentPhase = (): string => current

/**
 * Resolves with `work`, or rejects with a StalledError naming `waitingFor` after `ms`. Its timer
 * never outlives it. `progress` is asked at the deadline, to say how far the phase got.
 */
export function within<T>(waitingFor: string, ms: number, work: Promise<T> | (() => Promise<T>), progress?: () => string): Promise<T> {
  current = waitingFor
  let timer: ReturnType<typeof setTimeout> | undefined
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StalledError(waitingFor, ms, progress?.())), ms)
  })
  // a synchronous throw from `work()` becomes the rejection
  const started = new Promise<T>((resolve) => resolve(typeof work === 'function' ? work() : work))
  return Promise.race([started, stalled]).finally(() => {
    clearTimeout(timer)
    if (current === waitingFor) current = `what comes after ${waitingFor}`
  })
}
