#!/usr/bin/env node
// publint --strict and are-the-types-wrong on every built package (run `npm run build` first).
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'

let failed = false
const root = JSON.parse(readFileSync('package.json', 'utf8'))
for (const name of readdirSync('packages')) {
  const dir = `packages/${name}`
  // registry pages link back through these; the root package.json is their one source
  const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'))
  const readme = readFileSync(`${dir}/README.md`, 'utf8')
  const metadata = [
    pkg.repository?.url === root.repository.url && pkg.repository?.directory === dir,
    pkg.bugs?.url === root.bugs.url,
    pkg.homepage === `${root.repository.url.replace(/^git\+|\.git$/g, '')}/tree/main/${dir}#readme`,
    // a relative link is broken on a registry page
    !/\]\((?!https?:|#)[^)]*\)/.test(readme),
  ]
  const metadataOk = metadata.every(Boolean)
  failed ||= !metadataOk
  console.log(`${metadataOk ? 'ok  ' : 'FAIL'} repository, homepage, bugs and absolute README links in ${dir}${metadataOk ? '' : ` (${metadata.join(', ')})`}`)
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
