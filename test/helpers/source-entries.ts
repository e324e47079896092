// Where the package → source map is defined: the `livetopic-source` condition, first in every entry of
// each packages/*/package.json `exports`. TypeScript, Vite, vitest and esbuild read that condition
// themselves; this module names it once for them and reads the map for a tool that needs the list.
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The export condition that maps every @livetopic entry to its source file. */
export const SOURCE_CONDITION = 'livetopic-source'

const packagesDir = new URL('../../packages/', import.meta.url)

interface PackageJson {
  name?: string
  exports?: Record<string, unknown>
}

/** Every `@livetopic/*` entry (e.g. `@livetopic/core/aws`) → the absolute path of its source file. */
export function sourceEntries(): Record<string, string> {
  const entries: Record<string, string> = {}
  for (const dir of readdirSync(packagesDir, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue
    const packageUrl = new URL(`${dir.name}/`, packagesDir)
    let manifest: PackageJson
    try {
      manifest = JSON.parse(readFileSync(new URL('package.json', packageUrl), 'utf8')) as PackageJson
    } catch {
      continue // a folder without a package (e.g. left over from a branch switch)
    }
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const source = (target as Record<string, unknown> | null)?.[SOURCE_CONDITION]
      if (typeof source !== 'string' || !manifest.name) continue
      entries[`${manifest.name}${subpath.slice(1)}`] = fileURLToPath(new URL(source, packageUrl))
    }
  }
  return entries
}
