// Proves @livetopic/aws-cdk's peer range: packs it and @livetopic/iot, installs them with the LOWEST
// aws-cdk-lib and constructs the range allows into a fresh project in the OS temp dir (no hoisting
// from the workspace), and synthesizes a stack with the authorizer, a `lambda` rule and a republish
// rule, bundled by the esbuild the package depends on, with Docker made unusable (CDK_DOCKER points
// at nothing): a Docker fallback would fail the run. Run after `npm run build`:
//   npm run test:cdk-lowest                     (CI: its own step in .ci/run; needs the npm registry)
//   LIVETOPIC_CDK_VERSION=2.273.0 npm run test:cdk-lowest   (try another release: expect a failure below the range)
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const manifest = JSON.parse(readFileSync(join(root, 'packages/aws-cdk/package.json'), 'utf8')) as { peerDependencies: Record<string, string> }

/** The lowest version a `^x.y.z` range allows (the only form our peer ranges use). */
function lowest(name: string): string {
  const range = manifest.peerDependencies[name]!
  const match = /^\^(\d+\.\d+\.\d+)$/.exec(range)
  assert.ok(match, `peerDependencies.${name} is '${range}': this check reads ^x.y.z ranges only`)
  return match[1]!
}

const cdkVersion = process.env.LIVETOPIC_CDK_VERSION ?? lowest('aws-cdk-lib')
const constructsVersion = lowest('constructs')
const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string =>
  execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })

const APP = `import { App, Stack } from 'aws-cdk-lib'
import { LiveTopicBroker } from '@livetopic/aws-cdk'
const file = (name) => new URL(name, import.meta.url).pathname
const app = new App({ outdir: file('./cdk.out') })
const stack = new Stack(app, 'Lowest')
new LiveTopicBroker(stack, 'Broker', {
  authorizer: { entry: file('./authorizer.mjs') },
  rules: [
    { name: 'echo', sql: "SELECT * FROM 'in/+'", lambda: { entry: file('./rule.mjs'), publishes: ['out/echo'] } },
    { name: 'copy', sql: "SELECT * FROM 'a/+'", republish: 'b/\${topic(2)}' },
  ],
})
const template = app.synth().getStackByName('Lowest').template
const types = Object.values(template.Resources).map((r) => r.Type)
process.stdout.write(JSON.stringify({ types, ruleActions: Object.values(template.Resources).filter((r) => r.Type === 'AWS::IoT::TopicRule').map((r) => r.Properties.TopicRulePayload) }))
`
const AUTHORIZER = `export const handler = async () => ({ isAuthenticated: false, principalId: 'none', policyDocuments: [], disconnectAfterInSeconds: 300, refreshAfterInSeconds: 300 })\n`
const RULE = `export const handler = async (event) => { console.log(JSON.stringify(event)) }\n`

const dir = mkdtempSync(join(tmpdir(), 'livetopic-cdk-lowest-'))
const started = Date.now()
try {
  const tarballs = join(dir, 'tarballs')
  mkdirSync(tarballs)
  for (const pkg of ['iot', 'aws-cdk']) run('npm', ['pack', '--silent', '--pack-destination', tarballs], join(root, 'packages', pkg))
  const packed = readdirSync(tarballs).map((f) => join(tarballs, f))
  const app = join(dir, 'app')
  mkdirSync(app)
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'cdk-lowest', private: true, type: 'module' }))
  writeFileSync(join(app, 'app.mjs'), APP)
  writeFileSync(join(app, 'authorizer.mjs'), AUTHORIZER)
  writeFileSync(join(app, 'rule.mjs'), RULE)
  process.stdout.write(`installing aws-cdk-lib@${cdkVersion} constructs@${constructsVersion} + ${packed.length} tarballs\n`)
  // another release than the range's lowest is installed against the range on purpose
  const force = process.env.LIVETOPIC_CDK_VERSION ? ['--legacy-peer-deps'] : []
  const install = ['install', '--no-audit', '--no-fund', '--loglevel=error', ...force]
  run('npm', [...install, `aws-cdk-lib@${cdkVersion}`, `constructs@${constructsVersion}`, ...packed], app)
  // no Docker: a fallback from local esbuild to Docker bundling fails here
  const out = run('node', ['app.mjs'], app, { ...process.env, CDK_DOCKER: join(dir, 'no-docker') })
  const { types, ruleActions } = JSON.parse(out.slice(out.indexOf('{"types"'))) as {
    types: string[]
    ruleActions: { Actions: Record<string, unknown>[]; ErrorAction?: Record<string, unknown> }[]
  }
  const count = (type: string): number => types.filter((t) => t === type).length
  assert.equal(count('AWS::IoT::Authorizer'), 1)
  assert.equal(count('AWS::IoT::TopicRule'), 2)
  assert.equal(count('AWS::Lambda::Function'), 3, 'authorizer, the echo rule, the DescribeEndpoint provider')
  assert.deepEqual(
    ruleActions.map((r) => [Object.keys(r.Actions[0]!)[0], Object.keys(r.ErrorAction ?? {})[0]]),
    [
      ['Lambda', 'CloudwatchLogs'],
      ['Republish', 'CloudwatchLogs'],
    ],
  )
  const bundles = readdirSync(join(app, 'cdk.out')).filter((f) => f.startsWith('asset.'))
  assert.ok(bundles.length >= 2, `expected the bundled authorizer and rule in cdk.out, found ${bundles.join(', ')}`)
  process.stdout.write(
    `aws-cdk-lib@${cdkVersion}: synthesized ${types.length} resources with local esbuild in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
