import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vitest/config'

const src = (pkg: string, file = 'index.ts'): string => fileURLToPath(new URL(`./packages/${pkg}/src/${file}`, import.meta.url))

// Tests run against the sources; `npm run build` + publint/attw check the published output.
const alias = [
  { find: /^@livetopic\/core\/aws$/, replacement: src('core', 'aws/index.ts') },
  { find: /^@livetopic\/core\/internal$/, replacement: src('core', 'internal.ts') },
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
        test: { name: 'node', environment: 'node', include: ['test/{core,aws,aws-cdk,broker,reliability,types}/**/*.test.ts'] },
      },
      {
        extends: true,
        // framework adapters rendered for real in jsdom
        plugins: [vue(), svelte()],
        // the `browser` condition would give MQTT.js's browser build (jsdom's WebSocket) and ws's stub
        // (no server for the test broker): keep their Node entries, so tests use Node's `ws` for real
        resolve: { alias: [...alias, ...nodeEntries], conditions: ['browser'] },
        test: { name: 'dom', environment: 'jsdom', setupFiles: ['test/helpers/node-mqtt.ts'], include: ['test/{react,vue,svelte}/**/*.test.{ts,tsx}'] },
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
        test: { name: 'interop', environment: 'node', include: ['test/interop/**/*.test.ts'] },
      },
      {
        extends: true,
        // needs `apt-get install chromium`
        resolve: { alias },
        test: { name: 'e2e', environment: 'node', include: ['test/e2e/**/*.test.ts'], testTimeout: 120_000, fileParallelism: false },
      },
    ],
  },
})
