#!/usr/bin/env node
// publint --strict and are-the-types-wrong on every built package (run `npm run build` first).
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'

let failed = false
for (const name of readdirSync('packages')) {
  const dir = `packages/${name}`
  for (const [tool, args] of [
    ['publint', ['publint', '--strict', dir]],
    ['attw', ['attw', '--pack', dir, '--format', 'table-flipped']],
  ]) {
    const run = spawnSync('npx', args, { encoding: 'utf8' })
    const ok = run.status === 0
    failed ||= !ok
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${tool} ${dir}`)
    if (!ok) console.log(run.stdout + run.stderr)
  }
}
// React Server Components need the directive as the very first statement of both builds
for (const file of ['packages/react/dist/index.js', 'packages/react/dist/index.cjs']) {
  const ok = /^(['"])use client\1;?\s/.test(readFileSync(file, 'utf8'))
  failed ||= !ok
  console.log(`${ok ? 'ok  ' : 'FAIL'} 'use client' first in ${file}`)
}
process.exit(failed ? 1 : 0)
