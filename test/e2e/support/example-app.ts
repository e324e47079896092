import { fileURLToPath } from 'node:url'
import { build, defaultClientConditions, preview, type InlineConfig, type PreviewServer } from 'vite'
import { freePort } from '../../helpers/free-port.js'
import { SOURCE_CONDITION } from '../../helpers/source-entries.js'

const root = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url))

// as in vitest.config.ts: the app is built from the packages' sources, no `npm run build` needed
// and with LIVETOPIC_TRANSPORT=mqttjs the app's default transport is MQTT.js (one suite, two transports)
const alias = [
  ...(process.env.LIVETOPIC_TRANSPORT === 'mqttjs'
    ? [{ find: /^\.\/default-transport\.js$/, replacement: root('test/helpers/mqttjs-default-transport.ts') }]
    : []),
]
// every @livetopic import resolves to its sources through the packages' export condition
const conditions = [SOURCE_CONDITION, ...defaultClientConditions]

/** The example names, as their folders under examples/. */
export type ExampleName = 'react' | 'vue' | 'svelte'

/** A built example served by `vite preview` on a free 127.0.0.1 port. */
export interface ExampleApp {
  url: string
  /** Where the build went. */
  outDir: string
  close(): Promise<void>
}

/** How to build an example: `production` (default) as `vite build` does, or `development` (devtools included). */
export interface BuildOptions {
  mode?: 'production' | 'development'
}

/**
 * Builds an example with its own vite.config.ts, pointed at a broker the test runs (the config's
 * plugin reads LIVETOPIC_BROKER_URL and then starts no broker of its own), and serves it.
 */
export async function serveExample(name: ExampleName, broker: { url: string; httpUrl: string }, options: BuildOptions = {}): Promise<ExampleApp> {
  const mode = options.mode ?? 'production'
  const outDir = root(`test-output/e2e/dist-${name}${mode === 'production' ? '' : `-${mode}`}`)
  const inline = exampleConfig(name, mode)
  const port = await freePort()
  // the config's plugin reads these when Vite loads the config file (build, then preview)
  const saved = { url: process.env.LIVETOPIC_BROKER_URL, http: process.env.LIVETOPIC_BROKER_HTTP_URL }
  process.env.LIVETOPIC_BROKER_URL = broker.url
  process.env.LIVETOPIC_BROKER_HTTP_URL = broker.httpUrl
  let server: PreviewServer
  try {
    await buildExample(name, outDir, mode)
    server = await preview({ ...inline, build: { outDir }, preview: { host: '127.0.0.1', port, strictPort: true, open: false } })
  } finally {
    restore('LIVETOPIC_BROKER_URL', saved.url)
    restore('LIVETOPIC_BROKER_HTTP_URL', saved.http)
  }
  return {
    url: `http://127.0.0.1:${port}/`,
    outDir,
    close: () => server.close(),
  }
}

function exampleConfig(name: ExampleName, mode: string): InlineConfig {
  return { configFile: root(`examples/${name}/vite.config.ts`), root: root(`examples/${name}`), mode, logLevel: 'warn', resolve: { alias, conditions } }
}

/**
 * Builds an example into `outDir`. NODE_ENV is set as `vite build` sets it: the test runner's
 * `test` would otherwise make `import.meta.env.DEV` true in a production build.
 */
async function buildExample(name: ExampleName, outDir: string, mode: 'production' | 'development' = 'production'): Promise<void> {
  const saved = process.env.NODE_ENV
  process.env.NODE_ENV = mode
  try {
    await build({ ...exampleConfig(name, mode), build: { outDir, emptyOutDir: true, sourcemap: false, minify: false } })
  } finally {
    restore('NODE_ENV', saved)
  }
}

function restore(key: string, value: string | undefined): void {
  if (value === undefined) delete process.env[key]
  else process.env[key] = value
}
