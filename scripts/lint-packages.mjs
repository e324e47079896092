#!/usr/bin/env node
// publint --strict and are-the-types-wrong on every built package (run `npm run build` first).
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'

let failed = false
for (const name of readdirSync('packages')) {
  const dir = `packages/${name}`
  for (const [tool, args] of [
    ['publint', ['publint', '--strict', dir]],
    ['attw', ['attw', '--pack', dir, '--profile', 'node16', '--format', 'table-flipped']],
  ]) {
    const run = spawnSync('npx', args, { encoding: 'utf8' })
    const ok = run.status === 0
    failed ||= !ok
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${tool} ${dir}`)
    if (!ok) console.log(run.stdout + run.stderr)
  }
}
process.exit(failed ? 1 : 0)
