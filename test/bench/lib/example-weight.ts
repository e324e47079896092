// The weight of an example app's page as a user downloads it: a production Vite build of
// examples/<name> (its own vite.config.ts, the packages' sources), every JS/CSS/HTML file gzipped.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'

const root = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url))

export type ExampleName = 'react' | 'vue' | 'svelte'
export type TransportName = 'builtin' | 'mqttjs'

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : [path]
  })
}

/** Builds the example (with MQTT.js as its default transport when asked) and returns its gzip bytes. */
export async function exampleWeight(name: ExampleName, transport: TransportName = 'builtin'): Promise<{ gzip: number; raw: number }> {
  const outDir = root(`test-output/size/dist-${name}-${transport}`)
  const alias = [
    ...(transport === 'mqttjs' ? [{ find: /^\.\/default-transport\.js$/, replacement: root('test/helpers/mqttjs-default-transport.ts') }] : []),
    // every entry the examples import, as the e2e build and the deployed site alias them: an entry left to
    // dist (the tabs) ships a second copy of core next to the sources, which no user's bundle has
    { find: /^@livetopic\/core\/aws$/, replacement: root('packages/core/src/aws/index.ts') },
    { find: /^@livetopic\/core\/internal$/, replacement: root('packages/core/src/internal.ts') },
    { find: /^@livetopic\/core\/tabs$/, replacement: root('packages/core/src/tabs/index.ts') },
    { find: /^@livetopic\/core$/, replacement: root('packages/core/src/index.ts') },
    { find: /^@livetopic\/(react|vue|svelte)$/, replacement: root('packages/$1/src/index.ts') },
  ]
  // an external broker URL: the config's plugin then starts no broker
  const saved = process.env.LIVETOPIC_BROKER_URL
  process.env.LIVETOPIC_BROKER_URL = 'wss://example.invalid/mqtt'
  try {
    await build({
      configFile: root(`examples/${name}/vite.config.ts`),
      root: root(`examples/${name}`),
      logLevel: 'error',
      resolve: { alias },
      build: { outDir, emptyOutDir: true, sourcemap: false },
    })
  } finally {
    if (saved === undefined) delete process.env.LIVETOPIC_BROKER_URL
    else process.env.LIVETOPIC_BROKER_URL = saved
  }
  let gzip = 0
  let raw = 0
  for (const file of files(resolve(outDir)).filter((f) => /\.(js|css|html)$/.test(f))) {
    const bytes = readFileSync(file)
    raw += bytes.length
    gzip += gzipSync(bytes, { level: 9 }).length
  }
  return { gzip, raw }
}
