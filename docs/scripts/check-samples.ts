// Type-checks the docs' code samples: every ```ts and ```tsx block of docs/**/*.md and README.md,
// each as its own module, compiled with tsc against the packages' sources (the root tsconfig's
// paths). A fragment that cannot compile alone is fenced ```ts no-check (or ```tsx no-check).
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
// inside the repository, so that bare imports (react, vue, nanostores) resolve from its node_modules
const work = join(root, 'node_modules/.cache/livetopic-doc-samples')
const SKIP_DIRS = new Set(['node_modules', 'api', 'generated', '.vitepress'])

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : markdownFiles(path)
    return entry.name.endsWith('.md') ? [path] : []
  })
}

interface Sample {
  file: string
  line: number
  lang: 'ts' | 'tsx'
  code: string
}

function samplesOf(file: string): { samples: Sample[]; skipped: number } {
  const lines = readFileSync(file, 'utf8').split('\n')
  const samples: Sample[] = []
  let skipped = 0
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(ts|tsx)(?:\s+(.*))?$/.exec(lines[i]!)
    if (!open) continue
    const indent = open[1]!.length
    const start = i + 1
    let end = start
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end]!)) end++
    if (open[3]?.split(/\s+/).includes('no-check')) skipped++
    else
      samples.push({
        file,
        line: start + 1,
        lang: open[2] as 'ts' | 'tsx',
        code: lines
          .slice(start, end)
          .map((l) => l.slice(indent))
          .join('\n'),
      })
    i = end
  }
  return { samples, skipped }
}

const files = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))]
const all = files.map(samplesOf)
const samples = all.flatMap((s) => s.samples)
const skipped = all.reduce((n, s) => n + s.skipped, 0)

rmSync(work, { recursive: true, force: true })
mkdirSync(work, { recursive: true })
const names = samples.map((sample, n) => {
  const name = `sample-${String(n).padStart(3, '0')}.${sample.lang}`
  // `export {}`: each sample is a module, so names do not clash between samples
  writeFileSync(join(work, name), `${sample.code}\nexport {}\n`)
  return name
})
writeFileSync(
  join(work, 'tsconfig.json'),
  JSON.stringify({
    extends: relative(work, join(root, 'tsconfig.json')),
    compilerOptions: { noEmit: true, noUnusedLocals: false, noUnusedParameters: false, baseUrl: relative(work, root) },
    include: names,
  }),
)

let output = ''
try {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', work, '--pretty', 'false'], { encoding: 'utf8', stdio: 'pipe' })
} catch (error) {
  output = String((error as { stdout?: string }).stdout ?? error)
}
// point each error at the markdown line it comes from
const errors: string[] = output
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => {
    const at = /sample-(\d+)\.tsx?\((\d+),(\d+)\): (.*)/.exec(line)
    if (!at) return line
    const sample = samples[Number(at[1])]!
    return `${relative(root, sample.file)}:${sample.line + Number(at[2]) - 1}:${at[3]} ${at[4]}`
  })
// the troubleshooting page has an entry for every error code (a new code without one fails here)
const codes = [
  ...(/export type LiveTopicErrorCode =([^;]*?)\n\n/s.exec(readFileSync(join(root, 'packages/core/src/errors.ts'), 'utf8'))?.[1] ?? '').matchAll(
    /'([A-Z_]+)'/g,
  ),
].map((m) => m[1]!)
const troubleshooting = readFileSync(join(root, 'docs/guide/troubleshooting.md'), 'utf8')
const missing = codes.filter((code) => !new RegExp(`^## ${code}$`, 'm').test(troubleshooting))
if (codes.length === 0) errors.push('packages/core/src/errors.ts: no LiveTopicErrorCode union found')
for (const code of missing) errors.push(`docs/guide/troubleshooting.md: no "## ${code}" entry for this LiveTopicErrorCode`)
console.log(`${samples.length} samples type-checked, ${skipped} fenced no-check, in ${files.length} files`)
if (errors.length > 0) {
  console.error(errors.join('\n'))
  process.exit(1)
}
