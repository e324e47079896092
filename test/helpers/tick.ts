import { vi } from 'vitest'

/** Under `vi.useFakeTimers()`: moves the clock `ms` forward, running due timers and the promises they settle. */
export async function tick(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms)
}
