#!/usr/bin/env node
// Runs every suite: the Node-only ones of `npm test` plus those needing Debian packages.
// A missing package is an error with the command that installs it, never a silent skip.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

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
const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(result.status ?? 1)
