// Writes the generated figures of the benchmark and size pages (docs/reference/generated/*.md,
// git-ignored): markdown tables and SVG bar charts from bench-results.json (`npm run bench`) and
// size-results.json (`npm run size -- --json size-results.json`). A missing file is said on the page.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BenchRow } from '../../test/bench/lib/result.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const out = join(root, 'docs/reference/generated')

/** What `npm run bench` writes to bench-results.json (test/bench/run.ts). */
interface BenchResults {
  date: string
  short: boolean
  machine: { cpus: number; cpuModel: string; node: string; loadAverageBefore: number[] }
  failed: string[]
  rows: BenchRow[]
}
interface SizeRow {
  name: string
  min: number | null
  gzip: number | null
  target?: number
  budget?: number
  note?: string
}
interface SizeResults {
  date: string
  node: string
  rows: SizeRow[]
}

/** Text safe in a markdown table cell that VitePress compiles as a Vue template. */
function cell(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\{\{/g, '&#123;&#123;')
}

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n')
}

/** A horizontal bar chart: one bar per item, an optional tick per item (a budget). */
function barChart(items: { label: string; value: number; mark?: number }[], unit: string): string {
  const labelWidth = 300
  const barWidth = 360
  const rowHeight = 22
  const max = Math.max(...items.map((i) => Math.max(i.value, i.mark ?? 0)), Number.MIN_VALUE)
  const scale = (v: number): number => Math.round((v / max) * barWidth * 10) / 10
  const bars = items.map((item, n) => {
    const y = n * rowHeight
    const mark =
      item.mark === undefined
        ? ''
        : `<line x1="${labelWidth + scale(item.mark)}" x2="${labelWidth + scale(item.mark)}" y1="${y + 2}" y2="${y + rowHeight - 2}" stroke="currentColor" stroke-width="2"/>`
    return (
      `<text x="${labelWidth - 6}" y="${y + 15}" text-anchor="end" font-size="12" fill="currentColor">${cell(item.label.slice(0, 48))}</text>` +
      `<rect x="${labelWidth}" y="${y + 4}" width="${Math.max(1, scale(item.value))}" height="${rowHeight - 8}" fill="#3c8772"/>` +
      `<text x="${labelWidth + scale(item.value) + 4}" y="${y + 15}" font-size="12" fill="currentColor">${format(item.value)} ${cell(unit)}</text>` +
      mark
    )
  })
  const height = items.length * rowHeight
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${labelWidth + barWidth + 120} ${height}" width="100%">${bars.join('')}</svg>`
}

function format(value: number): string {
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en') : String(Number(value.toPrecision(3)))
}

function benchPage(): string {
  const file = join(root, 'bench-results.json')
  if (!existsSync(file)) return '_No `bench-results.json` in this checkout: run `npm run bench` (about 8 minutes), then `npm run docs:build`._\n'
  const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults
  const m = results.machine
  const parts = [
    `Run of ${results.date.slice(0, 16).replace('T', ' ')} UTC${results.short ? ' (**short** CI smoke run: few messages, JIT warm-up dominates — not a measurement)' : ''}: ` +
      `${m.cpus} × ${cell(m.cpuModel)}, Node ${m.node}, load average ${m.loadAverageBefore.join(' / ')} before.` +
      (results.failed.length > 0 ? ` Failed: ${results.failed.join(', ')}.` : ''),
  ]
  const byBench = new Map<string, BenchRow[]>()
  for (const row of results.rows) byBench.set(row.bench, [...(byBench.get(row.bench) ?? []), row])
  for (const [bench, rows] of byBench) {
    parts.push(`### ${bench}`)
    parts.push(
      table(
        ['metric', 'value', 'unit', 'target', '', 'note'],
        rows.map((r) => [r.metric, format(r.value), r.unit, r.target ?? '', r.ok === undefined ? '' : r.ok ? 'met' : 'missed', r.note ?? '']),
      ),
    )
    // a chart only compares like with like: the rows in the bench's most common unit
    const units = rows.map((r) => r.unit)
    const unit = units.sort((a, b) => units.filter((u) => u === b).length - units.filter((u) => u === a).length)[0]!
    const charted = rows.filter((r) => r.unit === unit && Number.isFinite(r.value))
    if (charted.length >= 2)
      parts.push(
        barChart(
          charted.map((r) => ({ label: r.metric, value: r.value })),
          unit,
        ),
      )
  }
  return parts.join('\n\n') + '\n'
}

function sizesPage(): string {
  const file = join(root, 'size-results.json')
  if (!existsSync(file)) return '_No `size-results.json` in this checkout: run `npm run size -- --json size-results.json`, then `npm run docs:build`._\n'
  const results = JSON.parse(readFileSync(file, 'utf8')) as SizeResults
  const kb = (bytes: number | null | undefined): string => (bytes == null ? '—' : `${(bytes / 1024).toFixed(2)} kB`)
  const rows = results.rows.map((r) => {
    const target = r.target === undefined ? '' : `${kb(r.target)} ${r.gzip !== null && r.gzip <= r.target ? 'met' : 'missed'}`
    const budget = r.budget === undefined ? '' : `${kb(r.budget)} ${r.gzip !== null && r.gzip <= r.budget ? 'within' : 'OVER'}`
    return [r.name, kb(r.min), kb(r.gzip), target, budget, r.note ?? '']
  })
  const charted = results.rows.filter((r): r is SizeRow & { gzip: number } => r.gzip !== null && Number.isFinite(r.gzip))
  return (
    [
      `Measured ${results.date.slice(0, 16).replace('T', ' ')} UTC on Node ${results.node} (esbuild for the browser, min+gzip; the tick is the enforced budget).`,
      table(['bundle', 'min', 'min+gzip', 'target', 'budget (enforced)', 'note'], rows),
      barChart(
        charted.map((r) => ({ label: r.name, value: r.gzip / 1024, ...(r.budget === undefined ? {} : { mark: r.budget / 1024 }) })),
        'kB',
      ),
    ].join('\n\n') + '\n'
  )
}

mkdirSync(out, { recursive: true })
writeFileSync(join(out, 'bench.md'), benchPage())
writeFileSync(join(out, 'sizes.md'), sizesPage())
console.log(`figures written to ${out}`)
