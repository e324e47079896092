// The weight of an example app's page as a user downloads it: a production Vite build of
// examples/<name> (its own vite.config.ts, the packages' sources), every JS/CSS/HTML file gzipped.
// The page is what loading it fetches (the HTML, its entry and everything that entry imports
// statically, their CSS); the chunks it imports with `import()` (the sign-in flow a signed-in
// visitor never runs) are counted apart, from Vite's manifest.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build, defaultClientConditions } from 'vite'
import { SOURCE_CONDITION } from '../../helpers/source-entries.js'

const root = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url))

export type ExampleName = 'react' | 'vue' | 'svelte'
export type TransportName = 'builtin' | 'mqttjs'

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : [path]
  })
}

/** An entry of Vite's build manifest (the fields read here). */
interface ManifestChunk {
  file: string
  css?: string[]
  imports?: string[]
}

/** The files loading the page fetches: index.html's entry, its static imports (transitively), their CSS. */
function pageFiles(outDir: string): Set<string> {
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>
  const files = new Set([join(outDir, 'index.html')])
  const visit = (key: string): void => {
    const chunk = manifest[key]!
    if (files.has(join(outDir, chunk.file))) return
    files.add(join(outDir, chunk.file))
    for (const css of chunk.css ?? []) files.add(join(outDir, css))
    for (const imported of chunk.imports ?? []) visit(imported)
  }
  visit('index.html')
  return files
}

/** Gzip (level 9) and raw bytes of an example page; `lazy*`: its chunks loaded on demand, not in the page. */
export interface ExampleWeight {
  gzip: number
  raw: number
  lazyGzip: number
  lazyFiles: string[]
  /** Whether any built file carries @livetopic/devtools (a production build must not). */
  devtools: boolean
}

/** Builds the example (with MQTT.js as its default transport when asked) and weighs its page. */
export async function exampleWeight(name: ExampleName, transport: TransportName = 'builtin'): Promise<ExampleWeight> {
  const outDir = root(`test-output/size/dist-${name}-${transport}`)
  const alias = [...(transport === 'mqttjs' ? [{ find: /^\.\/default-transport\.js$/, replacement: root('test/helpers/mqttjs-default-transport.ts') }] : [])]
  // every entry the examples import from its sources, as the e2e build and the deployed site do: an entry
  // left to dist ships a second copy of core next to the sources, which no user's bundle has
  const conditions = [SOURCE_CONDITION, ...defaultClientConditions]
  // an external broker URL: the config's plugin then starts no broker
  const saved = process.env.LIVETOPIC_BROKER_URL
  process.env.LIVETOPIC_BROKER_URL = 'wss://example.invalid/mqtt'
  try {
    await build({
      configFile: root(`examples/${name}/vite.config.ts`),
      root: root(`examples/${name}`),
      logLevel: 'error',
      resolve: { alias, conditions },
      build: { outDir, emptyOutDir: true, sourcemap: false, manifest: true },
    })
  } finally {
    if (saved === undefined) delete process.env.LIVETOPIC_BROKER_URL
    else process.env.LIVETOPIC_BROKER_URL = saved
  }
  const page = pageFiles(resolve(outDir))
  const weight: ExampleWeight = { gzip: 0, raw: 0, lazyGzip: 0, lazyFiles: [], devtools: false }
  for (const file of files(resolve(outDir)).filter((f) => /\.(js|css|html)$/.test(f))) {
    const bytes = readFileSync(file)
    const gzip = gzipSync(bytes, { level: 9 }).length
    if (bytes.includes('livetopic-devtools')) weight.devtools = true
    if (page.has(file)) {
      weight.raw += bytes.length
      weight.gzip += gzip
    } else {
      weight.lazyGzip += gzip
      weight.lazyFiles.push(relative(outDir, file))
    }
  }
  return weight
}
