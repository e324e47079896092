import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vitest/config'

const src = (pkg: string, file = 'index.ts'): string => fileURLToPath(new URL(`./packages/${pkg}/src/${file}`, import.meta.url))

// Which transport createClient uses by default in every suite: the built-in one, or MQTT.js with
// LIVETOPIC_TRANSPORT=mqttjs (`scripts/test-all.mjs` runs both). One suite, two transports.
const transport = process.env.LIVETOPIC_TRANSPORT ?? 'builtin'
if (transport !== 'builtin' && transport !== 'mqttjs') throw new Error('LIVETOPIC_TRANSPORT must be builtin or mqttjs')
const swapTransport = transport === 'mqttjs'
  ? [{ find: /^\.\/default-transport\.js$/, replacement: fileURLToPath(new URL('./test/helpers/mqttjs-default-transport.ts', import.meta.url)) }]
  : []

// Tests run against the sources; `npm run build` + publint/attw check the published output.
const alias = [
  ...swapTransport,
  { find: /^@livetopic\/core\/aws$/, replacement: src('core', 'aws/index.ts') },
  { find: /^@livetopic\/core\/internal$/, replacement: src('core', 'internal.ts') },
  { find: /^@livetopic\/core\/mqtt$/, replacement: src('core', 'mqtt/index.ts') },
  { find: /^@livetopic\/core\/tabs$/, replacement: src('core', 'tabs/index.ts') },
  { find: /^@livetopic\/core$/, replacement: src('core') },
  { find: /^@livetopic\/broker$/, replacement: src('broker') },
  { find: /^@livetopic\/react$/, replacement: src('react') },
  { find: /^@livetopic\/vue$/, replacement: src('vue') },
  { find: /^@livetopic\/svelte$/, replacement: src('svelte') },
  { find: /^@livetopic\/aws-cdk$/, replacement: src('aws-cdk') },
]

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
        // Node only: core, aws helpers, the broker, all against real brokers on 127.0.0.1
        resolve: { alias },
        test: { name: 'node', environment: 'node', setupFiles: ['test/helpers/websocket-global.ts'], include: ['test/{core,aws,aws-cdk,broker,reliability,types}/**/*.test.ts', 'test/tabs/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        // framework adapters rendered for real in jsdom
        plugins: [vue(), svelte()],
        // the `browser` condition would give MQTT.js's browser build (jsdom's WebSocket) and ws's stub
        // (no server for the test broker): keep their Node entries, so tests use Node's `ws` for real
        resolve: { alias: [...alias, ...nodeEntries], conditions: ['browser'] },
        test: { name: 'dom', environment: 'jsdom', setupFiles: ['test/helpers/node-mqtt.ts', 'test/helpers/websocket-global.ts'], include: ['test/{react,vue,svelte}/**/*.test.{ts,tsx}'] },
      },
      {
        extends: true,
        // the examples/aws stack synthesized with esbuild bundling and cdk-nag (slow: test:all and CI only)
        resolve: { alias },
        test: { name: 'cdk-synth', environment: 'node', include: ['test/aws-cdk-synth/**/*.test.ts'] },
      },
      {
        extends: true,
        // needs `apt-get install mosquitto`
        resolve: { alias },
        test: { name: 'interop', environment: 'node', setupFiles: ['test/helpers/websocket-global.ts'], include: ['test/interop/**/*.test.ts'] },
      },
      {
        extends: true,
        // needs `apt-get install chromium`
        resolve: { alias },
        test: { name: 'e2e', environment: 'node', setupFiles: ['test/helpers/websocket-global.ts'], include: ['test/e2e/**/*.test.ts'], testTimeout: 120_000, fileParallelism: false },
      },
      {
        extends: true,
        // one connection per browser (shareAcrossTabs) in Chromium; needs `apt-get install chromium`
        resolve: { alias },
        test: { name: 'tabs', environment: 'node', setupFiles: ['test/helpers/websocket-global.ts'], include: ['test/tabs/chromium/**/*.test.ts'], testTimeout: 60_000 },
      },
    ],
  },
})
