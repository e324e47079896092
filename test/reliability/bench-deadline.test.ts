import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { currentPhase, StalledError, within } from '../bench/lib/deadline.js'
import { RESULT_PREFIX, type BenchRow } from '../bench/lib/result.js'

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length

/** Runs the stalled-bench fixture as the bench runner does; its exit code and result rows. */
function runFixture(mode: 'phase' | 'overall'): Promise<{ code: number | null; rows: BenchRow[]; ms: number }> {
  const started = Date.now()
  const script = fileURLToPath(new URL('./fixtures/stalled-bench.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', script, mode], { env: { ...process.env, BENCH_CHILD: '1' }, stdio: ['ignore', 'pipe', 'ignore'] })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX))
      resolve({ code, rows: line ? (JSON.parse(line.slice(RESULT_PREFIX.length)) as BenchRow[]) : [], ms: Date.now() - started })
    })
  })
}

describe('benchmark deadlines', () => {
  it('within() passes the result through and leaves no timer behind', async () => {
    const before = timers()
    await expect(within('a quick answer', 10_000, Promise.resolve(42))).resolves.toBe(42)
    await expect(within('a quick answer', 10_000, () => Promise.resolve('lazy'))).resolves.toBe('lazy')
    expect(timers()).toBe(before)
    expect(currentPhase()).toBe('what comes after a quick answer')
  })

  it('within() rejects a stalled phase with what it waited for and how far it got', async () => {
    const before = timers()
    const error = await within('20 PUBACKs', 50, new Promise(() => {}), () => '3 of 20').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StalledError)
    expect((error as StalledError).waitingFor).toBe('20 PUBACKs')
    expect((error as StalledError).message).toBe('stalled: waiting for 20 PUBACKs after 50 ms (3 of 20)')
    expect(timers()).toBe(before)
  })

  it('within() passes a failure (thrown or rejected) through as it is', async () => {
    const boom = new Error('boom')
    await expect(
      within('x', 1000, () => {
        throw boom
      }),
    ).rejects.toBe(boom)
    await expect(within('x', 1000, Promise.reject(boom))).rejects.toBe(boom)
  })

  it('a bench stalled in a phase exits with a failed row naming what it waited for', async () => {
    const { code, rows, ms } = await runFixture('phase')
    expect(code).toBe(1)
    expect(rows).toEqual([
      expect.objectContaining({ bench: 'stalled-bench', ok: false, note: 'stalled: waiting for 1000 messages on the subscriber after 300 ms (0 of 1000)' }),
    ])
    expect(ms).toBeLessThan(15_000)
  })

  it('a bench stalled outside any phase is stopped by its overall deadline, naming where it was', async () => {
    const { code, rows } = await runFixture('overall')
    expect(code).toBe(1)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ ok: false })
    expect(rows[0]!.note).toBe("stalled: waiting for what comes after the subscriber to connect (the whole run's deadline) after 600 ms")
  })
})
