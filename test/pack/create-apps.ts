// Proves the starter: packs every package, generates each template with create-livetopic's own CLI
// (offline: it copies files), installs the app with the @livetopic packages from the tarballs, then
// runs what its README promises: typecheck, `npm test` (the authorizer, policy and rule against the
// stand-in), `npm run build`, and synthesizes its CDK stack. Run after `npm run build`:
//   npm run test:create            (CI: its own step in .ci/run; needs the npm registry)
//   LIVETOPIC_TEMPLATES=vue npm run test:create
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const PACKED = ['iot', 'core', 'react', 'vue', 'svelte', 'broker', 'aws-cdk']
const templates = (process.env.LIVETOPIC_TEMPLATES ?? 'react,vue,svelte').split(',')
const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string =>
  execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
const show = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void =>
  void execFileSync(cmd, args, { cwd, env, stdio: 'inherit' })

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })

async function retry<T>(attempt: () => Promise<T>, ms: number): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    try {
      return await attempt()
    } catch (error) {
      if (Date.now() > end) throw error
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}

/** `npm run dev` as the README says: Vite serves the page and starts the stand-in; both answer. */
async function checkDev(app: string): Promise<void> {
  const [vitePort, brokerPort] = [await freePort(), await freePort()]
  const child = spawn('npx', ['vite', '--port', String(vitePort), '--strictPort'], {
    cwd: app,
    env: { ...process.env, LIVETOPIC_PORT: String(brokerPort) },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  })
  try {
    let out = ''
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm run dev printed no stand-in URL in 60 s:\n${out}`)), 60_000)
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        if (out.includes('livetopic  stand-in')) {
          clearTimeout(timer)
          resolve()
        }
      })
      child.once('exit', (code) => reject(new Error(`vite exited (${code}):\n${out}`)))
    })
    // the plugin starts the stand-in before Vite listens: ask until the page answers
    const page = await retry(() => fetch(`http://127.0.0.1:${vitePort}/`), 20_000)
    assert.equal(page.status, 200, 'the dev server serves the page')
    const broker = await fetch(`http://127.0.0.1:${brokerPort}/`)
    assert.equal(broker.status, 200, 'the stand-in answers')
  } finally {
    process.kill(-child.pid!, 'SIGTERM')
  }
}

const work = mkdtempSync(join(tmpdir(), 'livetopic-create-'))
try {
  const tarballs = join(work, 'tarballs')
  mkdirSync(tarballs)
  const packed: Record<string, string> = {}
  for (const name of PACKED) {
    const [info] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', tarballs], join(root, 'packages', name))) as { filename: string }[]
    packed[`@livetopic/${name}`] = `file:${join(tarballs, info!.filename)}`
  }
  for (const template of templates) {
    const started = Date.now()
    const app = join(work, `my-${template}-app`)
    const out = run('node', [join(root, 'packages/create-livetopic/dist/cli.js'), app, '--template', template], work)
    assert.match(out, /npm install && npm run dev/, 'the CLI prints the next steps')
    // the @livetopic packages from the tarballs (not on the registry yet), the rest as generated
    const file = join(app, 'package.json')
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<'dependencies' | 'devDependencies', Record<string, string>>
    for (const deps of [manifest.dependencies, manifest.devDependencies]) for (const name of Object.keys(deps)) if (packed[name]) deps[name] = packed[name]
    writeFileSync(file, JSON.stringify(manifest, null, 2))
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app)
    show('npm', ['run', 'typecheck'], app)
    show('npm', ['test'], app)
    show('npm', ['run', 'build', '--', '--logLevel', 'warn'], app)
    await checkDev(app)
    // the CDK stack: the same authorizer and rule, bundled by the app's esbuild (no Docker)
    run('npx', ['tsx', 'infra/app.ts'], app, { ...process.env, CDK_OUTDIR: join(app, 'cdk.out'), CDK_DOCKER: '/nonexistent/docker' })
    const template_ = readFileSync(join(app, 'cdk.out', 'LivetopicApp.template.json'), 'utf8')
    for (const type of ['AWS::IoT::Authorizer', 'AWS::IoT::TopicRule']) assert.ok(template_.includes(type), `the stack has an ${type}`)
    console.log(`create-livetopic --template ${template}: typecheck, test, build, dev, synth ok (${((Date.now() - started) / 1000).toFixed(0)} s)`)
  }
} finally {
  if (process.env.KEEP_CREATE_APPS) console.log(`kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}
