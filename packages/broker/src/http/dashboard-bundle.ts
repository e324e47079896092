import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

let fromSource: Promise<string> | undefined

/**
 * The dashboard page's browser bundle of @livetopic/core: the build's file, or, in a clone of the
 * livetopic repository before any build (`npm run dev` runs from sources), core's sources bundled once
 * in memory with esbuild, as the build would (browser, minified). `undefined` when neither exists.
 */
export async function dashboardBundle(packageRoot: string): Promise<string | undefined> {
  const built = join(packageRoot, 'dist', 'dashboard', 'livetopic.js')
  if (existsSync(built)) return readFileSync(built, 'utf8')
  const source = join(packageRoot, '..', 'core', 'src', 'index.ts')
  if (!existsSync(source)) return undefined
  fromSource ??= bundle(source)
  return fromSource
}

async function bundle(entry: string): Promise<string> {
  // loaded only here: importing the broker must not load esbuild (it refuses to load under jsdom)
  const { build } = await import('esbuild')
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    conditions: ['livetopic-source'],
    logLevel: 'silent',
  })
  return result.outputFiles[0]!.text
}
