#!/usr/bin/env node
// Runs every suite: the Node-only ones of `npm test` plus those needing Debian packages, first on
// the built-in transport, then again on MQTT.js (LIVETOPIC_TRANSPORT=mqttjs swaps createClient's
// default; see vitest.config.ts). A missing package is an error with the command that installs
// it, never a silent skip. Arguments go to both vitest runs.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'

const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim()
const needs = [
  { what: 'Chromium (e2e)', ok: existsSync('/usr/bin/chromium'), pkg: 'chromium' },
  { what: 'Mosquitto (interop)', ok: Boolean(which('mosquitto') || existsSync('/usr/sbin/mosquitto')), pkg: 'mosquitto' },
]
const missing = needs.filter((n) => !n.ok)
if (missing.length > 0) {
  for (const m of missing) console.error(`missing: ${m.what}`)
  console.error(`\nInstall with:\n  sudo apt-get update && sudo apt-get install -y ${missing.map((m) => m.pkg).join(' ')}\n`)
  process.exit(1)
}
const args = process.argv.slice(2)
// the second run covers what depends on the transport: connection, sessions, reliability, adapters,
// interop and e2e; the codec's own tests and the broker's run once
const transportSuites = ['test/core', 'test/reliability', 'test/react', 'test/vue', 'test/svelte', 'test/interop', 'test/e2e']
mkdirSync('test-output', { recursive: true })
let passed = 0
let failed = 0
let status = 1
for (const [transport, filters] of [
  ['builtin', []],
  ['mqttjs', args.length > 0 ? [] : transportSuites],
]) {
  console.log(`\n── transport: ${transport} ──`)
  const report = `test-output/vitest-${transport}.json`
  const reporters = ['--reporter=default', '--reporter=json', `--outputFile.json=${report}`]
  const result = spawnSync('npx', ['vitest', 'run', ...filters, ...reporters, ...args], {
    stdio: 'inherit',
    env: { ...process.env, LIVETOPIC_TRANSPORT: transport },
  })
  if (existsSync(report)) {
    const counts = JSON.parse(readFileSync(report, 'utf8'))
    passed += counts.numPassedTests
    failed += counts.numFailedTests
  }
  status = result.status ?? 1
  if (status !== 0) break
}
// one closing line over both runs, in the plain form CI reads
console.log(`\ntest:all: ${passed} passed, ${failed} failed`)
process.exit(failed > 0 || status !== 0 ? 1 : 0)
