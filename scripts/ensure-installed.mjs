#!/usr/bin/env node
// node scripts/ensure-installed.mjs <dir>...: installs the own dependencies of the examples kept out of
// the root's workspaces (Next.js, Nuxt, SvelteKit: ~600 packages and ~600 MB that the default install
// no longer fetches) when their node_modules is missing or came from another package.json/lockfile.
// The npm scripts that need them call this first (dev:next, build:ssr-examples, typecheck, the
// frameworks suite). Each example installs only its framework; React, Vue, Svelte, Vite and the
// @livetopic packages are its peerDependencies, resolved from the root's node_modules (its .npmrc
// sets legacy-peer-deps), so a page never holds two copies of a framework.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
// what the install was made from, written into node_modules after a successful `npm ci`
const STAMP = '.livetopic-installed-from'

const dirs = process.argv.slice(2)
if (dirs.length === 0) {
  console.error('Usage: node scripts/ensure-installed.mjs <dir>... (e.g. examples/next)')
  process.exit(2)
}
if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.error('the repository is not installed: run `npm ci` (or `npm install`) at its root first')
  process.exit(1)
}

// settings a parent `npm run --workspace …` passes down would point the nested npm at the root
const inherited = /^npm_config_(workspaces?|include_workspace_root|prefix|local_prefix|global)$/i
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !inherited.test(key)))

for (const dir of dirs) {
  const project = resolve(root, dir)
  const name = relative(root, project) || '.'
  const lock = join(project, 'package-lock.json')
  if (!existsSync(lock)) {
    console.error(`${name} has no package-lock.json: it is not a project this script installs`)
    process.exit(1)
  }
  const hash = createHash('sha256')
    .update(readFileSync(join(project, 'package.json')))
    .update(readFileSync(lock))
    .digest('hex')
  const stamp = join(project, 'node_modules', STAMP)
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) continue
  console.log(`\n${name}: installing its own dependencies (npm ci; again only when its lockfile changes)`)
  // --include=dev: SvelteKit's toolchain is devDependencies, which NODE_ENV=production would leave out
  const args = ['ci', '--include=dev', '--no-audit', '--no-fund']
  const result = spawnSync('npm', args, { cwd: project, stdio: 'inherit', env })
  if (result.status !== 0) {
    console.error(`${name}: npm ci failed (${result.error?.message ?? `exit ${result.status}`})`)
    process.exit(result.status || 1)
  }
  // a project without dependencies gets no node_modules from npm ci
  mkdirSync(dirname(stamp), { recursive: true })
  writeFileSync(stamp, hash)
}
