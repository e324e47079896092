import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { createRequire } from 'node:module'
import { defaultServerConditions } from 'vite'
import { defineConfig, type Plugin } from 'vitest/config'

// Which transport createClient uses by default in every suite: the built-in one, or MQTT.js with
// LIVETOPIC_TRANSPORT=mqttjs (`scripts/test-all.mjs` runs both). One suite, two transports.
const transport = process.env.LIVETOPIC_TRANSPORT ?? 'builtin'
if (transport !== 'builtin' && transport !== 'mqttjs') throw new Error('LIVETOPIC_TRANSPORT must be builtin or mqttjs')
const swapTransport =
  transport === 'mqttjs'
    ? [{ find: /^\.\/default-transport\.js$/, replacement: fileURLToPath(new URL('./test/helpers/mqttjs-default-transport.ts', import.meta.url)) }]
    : []

// Tests run against the sources, through the `livetopic-source` condition of every package's `exports`
// (a new package needs nothing here); `npm run build` + publint/attw check the published output.
// Setting conditions replaces the defaults, so they follow ours. Node projects (and files with
// `@vitest-environment node`) resolve through the SSR environment, whose conditions vitest also gives
// its workers' Node: vitest's default there, without `module` (@aws-sdk's dist-es would not load).
const SOURCE = 'livetopic-source'
const sourceFirst = (conditions: readonly string[]): string[] => [SOURCE, ...conditions]
const alias = [...swapTransport]
const ssr = { resolve: { conditions: sourceFirst(defaultServerConditions.filter((condition) => condition !== 'module')) } }

// React 18.3 from the `test/react18` workspace, for the adapter tests' second run
const react18 = (pkg: string): string => fileURLToPath(new URL(`./test/react18/node_modules/${pkg}`, import.meta.url))
const react18Entries = [
  { find: /^react-dom(\/.*)?$/, replacement: `${react18('react-dom')}$1` },
  { find: /^react(\/.*)?$/, replacement: `${react18('react')}$1` },
  // its ES module build, so that vitest can inline it (its CJS `main` would `require` React 19)
  {
    find: /^@testing-library\/react$/,
    replacement: fileURLToPath(new URL('./node_modules/@testing-library/react/dist/@testing-library/react.esm.js', import.meta.url)),
  },
]

// Svelte 4 (npm alias `svelte-4`) for the Svelte adapter's second run: its compiler for the
// components under test/svelte4, its runtime for them and for @livetopic/svelte
// (required, not imported: svelte-4's types declare the `svelte/*` modules and clash with Svelte 5's)
const compileSvelte4 = (
  createRequire(import.meta.url)('svelte-4/compiler') as {
    compile: (source: string, options: { filename: string; css: 'injected' }) => { js: { code: string; map: { mappings: string } } }
  }
).compile
const svelte4: Plugin = {
  name: 'svelte-4-components',
  transform(code, id) {
    if (!id.endsWith('.svelte')) return undefined
    const { js } = compileSvelte4(code, { filename: id, css: 'injected' })
    return { code: js.code, map: js.map }
  },
}

// Svelte 5.7.0 (npm alias `svelte-5-7`), the lowest the `/runes` entry supports (createSubscriber):
// its compiler for the runes components and `.svelte.ts` modules (TypeScript already stripped by
// Vite), its runtime for them, the adapter and @testing-library/svelte
const svelte57Compiler = createRequire(import.meta.url)('svelte-5-7/compiler') as {
  compile: (source: string, options: { filename: string; css: 'injected' }) => { js: { code: string; map: { mappings: string } } }
  compileModule: (source: string, options: { filename: string }) => { js: { code: string; map: { mappings: string } } }
}
const svelte57: Plugin = {
  name: 'svelte-5-7-components',
  transform(code, id) {
    const file = id.split('?')[0]!
    if (file.endsWith('.svelte')) return svelte57Compiler.compile(code, { filename: file, css: 'injected' }).js
    if (/\.svelte\.[jt]s$/.test(file)) return svelte57Compiler.compileModule(code, { filename: file }).js
    return undefined
  },
}

const nodeEntries = [
  { find: /^mqtt$/, replacement: fileURLToPath(new URL('./node_modules/mqtt/build/index.js', import.meta.url)) },
  { find: /^ws$/, replacement: fileURLToPath(new URL('./node_modules/ws/wrapper.mjs', import.meta.url)) },
]

export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        // Node only: core, aws helpers, the broker, all against real brokers on 127.0.0.1; a file
        // here with `@vitest-environment jsdom` resolves as the dom project does (sources, Node's ws)
        resolve: { alias: [...alias, ...nodeEntries], conditions: sourceFirst(['browser']) },
        ssr,
        test: {
          name: 'node',
          environment: 'node',
          setupFiles: ['test/helpers/websocket-global.ts'],
          include: ['test/{core,aws,aws-cdk,broker,iot,reliability,types,devtools,install}/**/*.test.ts', 'test/tabs/unit/**/*.test.ts'],
        },
      },
      {
        extends: true,
        // framework adapters rendered for real in jsdom
        plugins: [vue(), svelte()],
        // the `browser` condition would give MQTT.js's browser build (jsdom's WebSocket) and ws's stub
        // (no server for the test broker): keep their Node entries, so tests use Node's `ws` for real
        resolve: { alias: [...alias, ...nodeEntries], conditions: sourceFirst(['browser']) },
        ssr,
        test: {
          name: 'dom',
          environment: 'jsdom',
          setupFiles: ['test/helpers/node-mqtt.ts', 'test/helpers/websocket-global.ts'],
          include: ['test/{react,vue,svelte}/**/*.test.{ts,tsx}'],
          exclude: ['test/svelte/lowest-svelte.test.ts'],
          env: { REACT_MAJOR: '19' },
        },
      },
      {
        extends: true,
        // the React adapter's tests again on React 18.3; @testing-library/react is inlined so that
        // its own `react`/`react-dom` imports get React 18 too (one React in the test)
        plugins: [vue(), svelte()],
        resolve: { alias: [...alias, ...nodeEntries, ...react18Entries], conditions: sourceFirst(['browser']) },
        ssr,
        test: {
          name: 'dom-react18',
          environment: 'jsdom',
          setupFiles: ['test/helpers/node-mqtt.ts', 'test/helpers/websocket-global.ts'],
          include: ['test/react/**/*.test.{ts,tsx}'],
          server: { deps: { inline: [/@testing-library\/react/] } },
          env: { REACT_MAJOR: '18' },
        },
      },
      {
        extends: true,
        // Svelte 4's store contract and component model against @livetopic/svelte
        plugins: [svelte4],
        resolve: { alias: [...alias, ...nodeEntries, { find: /^svelte(\/.*)?$/, replacement: 'svelte-4$1' }], conditions: sourceFirst(['browser']) },
        ssr,
        test: {
          name: 'dom-svelte4',
          environment: 'jsdom',
          setupFiles: ['test/helpers/node-mqtt.ts', 'test/helpers/websocket-global.ts'],
          include: ['test/svelte4/**/*.test.ts'],
        },
      },
      {
        extends: true,
        // the `/runes` entry on Svelte 5.7.0, the lowest its peer range allows
        plugins: [svelte57],
        resolve: { alias: [...alias, ...nodeEntries, { find: /^svelte(\/.*)?$/, replacement: 'svelte-5-7$1' }], conditions: sourceFirst(['browser']) },
        ssr,
        test: {
          name: 'dom-svelte57',
          environment: 'jsdom',
          setupFiles: ['test/helpers/node-mqtt.ts', 'test/helpers/websocket-global.ts'],
          include: ['test/svelte/runes.test.ts', 'test/svelte/lowest-svelte.test.ts'],
          server: { deps: { inline: [/@testing-library\/svelte/] } },
        },
      },
      {
        extends: true,
        // the examples/aws stack synthesized with esbuild bundling and cdk-nag (slow: test:all and CI only)
        resolve: { alias },
        ssr,
        test: { name: 'cdk-synth', environment: 'node', include: ['test/aws-cdk-synth/**/*.test.ts'] },
      },
      {
        extends: true,
        // needs `apt-get install mosquitto`
        resolve: { alias },
        ssr,
        test: { name: 'interop', environment: 'node', setupFiles: ['test/helpers/websocket-global.ts'], include: ['test/interop/**/*.test.ts'] },
      },
      {
        extends: true,
        // needs `apt-get install chromium`
        resolve: { alias },
        ssr,
        test: {
          name: 'e2e',
          environment: 'node',
          setupFiles: ['test/helpers/websocket-global.ts'],
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        // Next.js, Nuxt and SvelteKit examples: built apps (production servers) in Chromium; needs `apt-get install chromium`
        resolve: { alias },
        ssr,
        test: {
          name: 'frameworks',
          environment: 'node',
          include: ['test/frameworks/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        // one connection per browser (shareAcrossTabs) in Chromium; needs `apt-get install chromium`
        resolve: { alias },
        ssr,
        test: {
          name: 'tabs',
          environment: 'node',
          setupFiles: ['test/helpers/websocket-global.ts'],
          include: ['test/tabs/chromium/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
})
