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

/** Runs a benchmark's main function, reporting an error as a failed exit. */
export function main(fn: () => Promise<BenchRow[]>): void {
  fn().then(
    (rows) => {
      report(rows)
      // sockets, timers or child processes left behind must not hang the runner
      process.exit(0)
    },
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
}
