import { basename } from 'node:path'
import { currentPhase, StalledError } from './deadline.js'

/** One row of the benchmark table. */
export interface BenchRow {
  /** Benchmark section, e.g. "throughput". */
  bench: string
  /** What was measured, e.g. "QoS 0 livetopic ÷ raw". */
  metric: string
  value: number
  unit: string
  /** Target as written in the brief, e.g. "≥ 0.95". */
  target?: string
  /** Whether the target was met (undefined when there is none). */
  ok?: boolean
  /** Broker, setup or caveat. */
  note?: string
}

/** What each benchmark script prints as its last stdout line (prefixed, for the runner to parse). */
export const RESULT_PREFIX = 'BENCH_RESULT '

/** Whether the script runs in short (CI smoke) mode. */
export const SHORT = process.argv.includes('--short') || process.env.BENCH_SHORT === '1'

/** Prints the rows for the runner (and a small table when run alone). */
function report(rows: BenchRow[]): void {
  if (!process.env.BENCH_CHILD) {
    for (const r of rows)
      console.log(
        `${r.bench.padEnd(12)} ${r.metric.padEnd(48)} ${String(r.value).padStart(12)} ${r.unit.padEnd(8)} ${r.target ?? ''} ${r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED'} ${r.note ?? ''}`,
      )
  }
  console.log(RESULT_PREFIX + JSON.stringify(rows))
}

/** How long a whole benchmark may run before it is stopped and reported as stalled. */
export const DEFAULT_DEADLINE_MS = SHORT ? 5 * 60_000 : 20 * 60_000

/** The row a stalled or failed benchmark reports: `ok: false`, with what it was waiting for. */
export function failedRow(bench: string, error: unknown): BenchRow {
  const why = error instanceof StalledError ? error.message : `failed: ${error instanceof Error ? error.message : String(error)}`
  return { bench, metric: 'completed', value: 0, unit: 'run', target: 'completes', ok: false, note: why }
}

/**
 * Runs a benchmark's main function. It has `deadlineMs` in all (each phase should also use
 * `within()` from deadline.ts): when that passes, or a phase stalls or throws, the benchmark
 * reports a failed row naming what it was waiting for and exits non-zero; it never hangs.
 */
export function main(fn: () => Promise<BenchRow[]>, options: { deadlineMs?: number } = {}): void {
  const bench = basename(process.argv[1] ?? 'bench').replace(/\.[cm]?[jt]s$/, '')
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS
  const fail = (error: unknown): never => {
    console.error(error)
    report([failedRow(bench, error)])
    process.exit(1)
  }
  const overall = setTimeout(() => fail(new StalledError(`${currentPhase()} (the whole run's deadline)`, deadlineMs)), deadlineMs)
  fn().then((rows) => {
    clearTimeout(overall)
    report(rows)
    // sockets, timers or child processes left behind must not hang the runner
    process.exit(0)
  }, fail)
}
