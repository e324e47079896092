#!/usr/bin/env node
// The README says Node 22 or 24: this runs the suites a user's code touches (core against a real
// broker, the React/Vue/Svelte adapters rendered in jsdom, the stand-in's MQTT 5 and quota tests,
// the devtools) on each, with Node itself taken from the npm registry (the official binaries npm
// publishes as node-<platform>-<arch>), kept in node_modules/.cache. `npm test` and `npm run test:all`
// run everything on the Node that runs them. Arguments: the majors (default 22 24).
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

const majors = process.argv.length > 2 ? process.argv.slice(2) : ['22', '24']
const suites = ['test/core', 'test/aws', 'test/react', 'test/vue', 'test/svelte', 'test/devtools', 'test/broker/mqtt5', 'test/broker/quotas']
const binary = `node-${process.platform}-${process.arch}`

/** The `node` executable of the newest release of `major`, installed once from the npm registry. */
function nodeOf(major) {
  const prefix = resolve('node_modules/.cache/livetopic-node', major)
  const bin = join(prefix, 'node_modules', binary, 'bin', 'node')
  if (!existsSync(bin)) {
    console.log(`installing ${binary}@${major} from the npm registry into ${prefix}`)
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--prefix', prefix, `${binary}@${major}`], {
      stdio: 'inherit',
    })
  }
  return bin
}

let failed = 0
for (const major of majors) {
  const node = nodeOf(major)
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
  console.log(`\n── Node ${version} ──`)
  const run = spawnSync(node, ['node_modules/vitest/vitest.mjs', 'run', '--project', 'node', '--project', 'dom', ...suites], { stdio: 'inherit' })
  if (run.status !== 0) {
    failed++
    console.error(`Node ${version}: the suites failed (exit ${run.status ?? run.signal})`)
  }
}
process.exit(failed > 0 ? 1 : 0)
