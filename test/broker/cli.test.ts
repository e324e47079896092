import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { eventually } from '../helpers/wait.js'
import { connect, inbox, refusal } from './support.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
// the command exactly as `npx livetopic-broker` finds it in a clone right after `npm install`: the
// bin npm linked (packages/broker/bin, committed), which runs the sources when there is no build
const bin = join(root, 'node_modules/.bin/livetopic-broker')
const running: ChildProcess[] = []
const dirs: string[] = []

afterEach(() => {
  for (const p of running) if (p.exitCode === null) p.kill('SIGKILL')
  running.length = 0
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
  dirs.length = 0
})

/** Runs the CLI through its npm bin; resolves with its stdout once it says it is ready (or its exit code). */
function run(args: string[]): { child: ChildProcess; ready: Promise<string>; exited: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(bin, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  running.push(child)
  let out = ''
  let err = ''
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('Press Ctrl-C')) resolve(out)
    })
    child.once('exit', () => reject(new Error(`exited before ready: ${err}`)))
  })
  ready.catch(() => {}) // awaited by the tests that expect a start; others watch `exited`
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.once('exit', (code) => resolve({ code, stderr: err })))
  return { child, ready, exited }
}

const files = (entries: Record<string, string>): Record<string, string> => {
  const dir = mkdtempSync(join(tmpdir(), 'livetopic-cli-'))
  dirs.push(dir)
  return Object.fromEntries(Object.entries(entries).map(([name, text]) => [name, (writeFileSync(join(dir, name), text), join(dir, name))]))
}

// a spawned tsx process is slow on a loaded 2-core machine: generous limits, no speed assertions
describe('livetopic-broker CLI', { timeout: 40_000 }, () => {
  it('starts with an authorizer, rules and a config file, prints its URLs and stops on SIGTERM', async () => {
    const f = files({
      'authorizer.mjs': `export default (e) => ({ isAuthenticated: e.token === 'let-me-in', principalId: 'cli',
        policyDocuments: [JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }] })] })`,
      'rules.mjs': `export default [{ sql: "SELECT text FROM 'client/+'", republish: 'server' }]`,
      'config.json': JSON.stringify({ mqttPort: true }),
    })
    const { child, ready, exited } = run(['--port', '0', '--authorizer', f['authorizer.mjs']!, '--rules', f['rules.mjs']!, '--config', f['config.json']!])
    const out = await ready
    const ws = /MQTT over WebSocket: (ws:\/\/127\.0\.0\.1:\d+\/mqtt)/.exec(out)![1]!
    expect(out).toMatch(/HTTP API: +http:\/\/127\.0\.0\.1:\d+/)
    expect(out).toMatch(/Dashboard: +http:\/\/127\.0\.0\.1:\d+\//)
    expect(out).toMatch(/MQTT over TCP: +mqtt:\/\/127\.0\.0\.1:\d+/)
    expect(out).toMatch(/Authorization: +on/)

    expect(await refusal(`${ws}?token=wrong`, { clientId: 'x', connectTimeout: 15_000 })).toBe(5)
    const c = await connect(`${ws}?token=let-me-in`, { clientId: 'cli-user', connectTimeout: 15_000 })
    const seen = inbox(c)
    await c.subscribeAsync('server', { qos: 1 })
    await c.publishAsync('client/cli-user', JSON.stringify({ text: 'via rule', drop: 1 }), { qos: 1 })
    await eventually(() => seen.length === 1, 15_000)
    expect(JSON.parse(seen[0]!.text)).toEqual({ text: 'via rule' })
    await c.endAsync()

    child.kill('SIGTERM')
    expect((await exited).code).toBe(0)
  })

  it('says when authorization is off, and fails clearly on bad rules', async () => {
    const open = run(['--port', '0'])
    expect(await open.ready).toMatch(/Authorization: +off/)
    open.child.kill('SIGTERM')
    await open.exited
    const f = files({ 'rules.mjs': `export default [{ sql: "SELECT nope() FROM 'a'", republish: 'b' }]` })
    const bad = run(['--port', '0', '--rules', f['rules.mjs']!])
    const { code, stderr } = await bad.exited
    expect(code).toBe(1)
    expect(stderr).toMatch(/function nope\(\) is not supported/)
  })

  it('refuses a dashboard on a non-loopback --host unless --allow-remote-dashboard, then warns on stderr', async () => {
    // 192.0.2.1 (TEST-NET-1) is on no interface: nothing binds beyond loopback in this test
    const refused = await run(['--port', '0', '--host', '192.0.2.1']).exited
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/refusing to serve the dashboard on 192\.0\.2\.1.*--allow-remote-dashboard/)
    const allowed = await run(['--port', '0', '--host', '192.0.2.1', '--allow-remote-dashboard']).exited
    expect(allowed.code).toBe(1)
    expect(allowed.stderr).toMatch(/WARNING: the dashboard is served on a non-loopback address/)
    expect(allowed.stderr).toMatch(/EADDRNOTAVAIL/)
  })
})
