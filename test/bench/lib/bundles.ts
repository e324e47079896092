// Loaded with `--import` before a benchmark: bundles the livetopic sources with esbuild (as tsup
// does: no keepNames) and makes `@livetopic/*` resolve to those bundles. Without it tsx would run
// the sources with esbuild's keepNames, which wraps every closure in a `__name(...)` call at
// creation — a per-message cost the published package does not have, charged to livetopic.
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { register } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { buildSync } from 'esbuild'
import { sourceEntries } from '../../helpers/source-entries.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const outDir = join(root, 'node_modules/.cache/livetopic-bench')

/** Package specifier → source entry (absolute), from the packages' `livetopic-source` export condition. */
const ENTRIES = sourceEntries()

const map: Record<string, string> = {}
mkdirSync(outDir, { recursive: true })
for (const [specifier, entry] of Object.entries(ENTRIES)) {
  if (!existsSync(entry)) continue
  // one file per process, so parallel processes never read a half-written bundle
  const outfile = join(outDir, `${specifier.replace(/[@/]/g, '_')}-${process.pid}.mjs`)
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // dependencies and the other @livetopic packages stay imports (one instance of each)
    packages: 'external',
    jsx: 'automatic',
    logLevel: 'error',
  })
  map[specifier] = pathToFileURL(outfile).href
}

const hooks = `
import { readFileSync } from 'node:fs'
let map = {}
export function initialize(data) { map = data }
export async function resolve(specifier, context, next) {
  return Object.hasOwn(map, specifier) ? { url: map[specifier], shortCircuit: true } : next(specifier, context)
}
export async function load(url, context, next) {
  // read as is: tsx must not transform it again
  return Object.values(map).includes(url)
    ? { format: 'module', source: readFileSync(new URL(url)), shortCircuit: true }
    : next(url, context)
}`
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: map })

process.once('exit', () => {
  for (const url of Object.values(map)) rmSync(new URL(url), { force: true })
})
