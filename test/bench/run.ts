// Runs every benchmark in its own process (so one's sockets, heap and JIT state do not colour the
// next), prints one table and writes bench-results.json at the repository root.
// `--short`: a few seconds each, for CI to check that they still run. `--only a,b` picks some.
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULT_DEADLINE_MS, failedRow, RESULT_PREFIX, SHORT, type BenchRow } from './lib/result.js'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../..')

/** In running order; renders last, as the React adapter is the newest code. */
const BENCHES = [
  'dispatch',
  'publish-burst',
  'heap-per-store',
  'policy-match',
  'hostile-reader',
  'authorizer',
  'throughput',
  'receive-capacity',
  'browser-receive',
  'cold-start',
  'memory',
  'memory-react',
  'fanout',
  'slow-consumer',
  'preauth-flood',
  'quota-growth',
  'soak',
  'renders',
  'tabs',
]

// each bench stops itself at its own deadline; this is the backstop for one that cannot
// (its event loop blocked): killed, and reported as a failed row
const KILL_AFTER_MS = Number(process.env.BENCH_KILL_AFTER_MS) || DEFAULT_DEADLINE_MS + 60_000

const onlyArg = process.argv.indexOf('--only')
const only = onlyArg > 0 ? process.argv[onlyArg + 1]?.split(',') : undefined

function runOne(name: string): Promise<{ rows: BenchRow[]; ok: boolean; seconds: number }> {
  const started = Date.now()
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', '--import', join(here, 'lib/bundles.ts'), join(here, `${name}.ts`), ...(SHORT ? ['--short'] : [])],
      { cwd: root, env: { ...process.env, BENCH_CHILD: '1' }, stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS)
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.on('exit', (code, signal) => {
      clearTimeout(killer)
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX))
      for (const l of out.split('\n')) if (l && !l.startsWith(RESULT_PREFIX)) console.error(`[${name}] ${l}`)
      const rows = line ? (JSON.parse(line.slice(RESULT_PREFIX.length)) as BenchRow[]) : []
      if (!line) {
        const why =
          signal === 'SIGKILL' ? new Error(`killed after ${KILL_AFTER_MS} ms without a result`) : new Error(`exited ${code ?? signal} without a result`)
        rows.push(failedRow(name, why))
      }
      done({ rows, ok: code === 0 && line !== undefined, seconds: (Date.now() - started) / 1000 })
    })
  })
}

function table(rows: BenchRow[]): string {
  const cells = rows.map((r) => [r.bench, r.metric, String(r.value), r.unit, r.target ?? '', r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED', r.note ?? ''])
  const head = ['bench', 'metric', 'value', 'unit', 'target', '', 'note']
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]): string =>
    c
      .map((v, i) => (i === 2 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n')
}

const loadBefore = loadavg()
const rows: BenchRow[] = []
const failed: string[] = []
const timings: Record<string, number> = {}
for (const name of BENCHES.filter((b) => !only || only.includes(b))) {
  console.error(`running ${name}${SHORT ? ' (short)' : ''}…`)
  const result = await runOne(name)
  timings[name] = result.seconds
  rows.push(...result.rows)
  if (!result.ok) failed.push(name)
}

const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  loadAverageBefore: loadBefore.map((l) => Number(l.toFixed(2))),
  loadAverageAfter: loadavg().map((l) => Number(l.toFixed(2))),
}
console.log(table(rows))
console.log(`\n${machine.cpus} × ${machine.cpuModel}, ${machine.node}, load ${machine.loadAverageBefore.join('/')} → ${machine.loadAverageAfter.join('/')}`)
writeFileSync(
  join(root, 'bench-results.json'),
  JSON.stringify({ date: new Date().toISOString(), short: SHORT, machine, timings, failed, rows }, null, 2) + '\n',
)
console.log('wrote bench-results.json')
if (failed.length > 0) {
  console.error(`failed: ${failed.join(', ')}`)
  process.exit(1)
}
