import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url))

/** Folder of the built React example that the stack uploads. */
const SITE_DIR = root('examples/react/dist')

/** What the React example's build reads: its own files, the shared example code, the packages it aliases. */
const SITE_SOURCES = ['examples/react', 'examples/shared', 'packages/core/src', 'packages/react/src'].map(root)

const SKIPPED = new Set(['node_modules', 'dist', '.vite'])

/** Newest modification time (ms) of the files under `dir`, build output and node_modules left out. */
function newestFile(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestFile(path) : statSync(path).mtimeMs)
  }
  return newest
}

/**
 * Why `siteDir` must be (re)built, or undefined when its index.html is newer than every source file:
 * a stale build would deploy yesterday's app.
 */
export function staleReason(siteDir: string, sources: readonly string[]): string | undefined {
  const index = join(siteDir, 'index.html')
  if (!existsSync(index)) return `${siteDir} is missing`
  const built = statSync(index).mtimeMs
  const newer = sources.find((dir) => existsSync(dir) && newestFile(dir) > built)
  return newer ? `${newer} changed after ${siteDir} was built` : undefined
}

/**
 * Builds the React example (from the packages' sources, as the e2e tests do) when its dist/ is
 * missing or older than its sources, so `npm run synth:aws` stays one command and never uploads a
 * stale app. The build bakes in the local broker's URL; on AWS the app reads the deployed
 * `config.json` instead.
 */
export async function ensureSiteBuilt(): Promise<string> {
  const reason = staleReason(SITE_DIR, SITE_SOURCES)
  if (!reason) return SITE_DIR
  const { build, defaultClientConditions } = await import('vite')
  // every package's `exports` maps this condition to its sources
  const conditions = ['livetopic-source', ...defaultClientConditions]
  process.stderr.write(`${reason}: building the React example first\n`)
  await build({ configFile: root('examples/react/vite.config.ts'), root: root('examples/react'), logLevel: 'warn', resolve: { conditions } })
  if (staleReason(SITE_DIR, SITE_SOURCES)) throw new Error(`building the React example did not produce a fresh ${SITE_DIR}/index.html`)
  return SITE_DIR
}
