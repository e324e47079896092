// Issue #25 item 8: `livetopic-broker --tls --tls-ca-file` writes the CA certificate and nothing secret.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { connect, inbox } from './support.js'
import { eventually } from '../helpers/wait.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const tsx = join(root, 'node_modules/.bin/tsx')
const cli = join(root, 'packages/broker/src/cli.ts')
// tsx cannot read tsconfig's customConditions: the @livetopic imports resolve to their sources through this flag
const fromSources = ['--conditions=livetopic-source']
const running: ChildProcess[] = []
const dirs: string[] = []

afterEach(() => {
  for (const p of running) if (p.exitCode === null) p.kill('SIGKILL')
  running.length = 0
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
  dirs.length = 0
})

/** Every file under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

describe('livetopic-broker --tls', { timeout: 40_000 }, () => {
  it('serves MQTT over TLS with a dev CA, writes only its certificate, and prints or writes no private key', async () => {
    // its own cwd and HOME, and a TMPDIR of its own (where tsx also keeps its cache)
    const dir = mkdtempSync(join(tmpdir(), 'livetopic-tls-cli-'))
    const tmp = mkdtempSync(join(tmpdir(), 'livetopic-tls-tmp-'))
    dirs.push(dir, tmp)
    const env = { ...process.env, HOME: dir, TMPDIR: tmp }
    const child = spawn(tsx, [...fromSources, cli, '--port', '0', '--tls', '--tls-ca-file', 'ca.pem'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
    running.push(child)
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    await eventually(() => out.includes('Press Ctrl-C') || child.exitCode !== null, 30_000, 'the CLI to start')
    expect(out).toMatch(/Press Ctrl-C/)
    const mqtts = /MQTT over TLS: +(mqtts:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!
    expect(out).toMatch(/MQTT over WSS: +wss:\/\/127\.0\.0\.1:\d+\/mqtt/)
    expect(out).toContain(`NODE_EXTRA_CA_CERTS=${join(dir, 'ca.pem')}`)

    const ca = readFileSync(join(dir, 'ca.pem'), 'utf8')
    const client = await connect(mqtts, { ca, clientId: 'cli-tls', connectTimeout: 15_000 })
    const seen = inbox(client)
    await client.subscribeAsync('t', { qos: 1 })
    await client.publishAsync('t', 'over tls', { qos: 1 })
    await eventually(() => seen.length === 1, 15_000)
    await client.endAsync()
    child.kill('SIGTERM')
    expect(await exited).toBe(0)

    // the CA certificate is the only file written, and holds one certificate and no key
    expect(filesUnder(dir)).toEqual([join(dir, 'ca.pem')])
    const pemKey = /-----BEGIN [A-Z ]*PRIVATE KEY-----\r?\n[A-Za-z0-9+/]/
    for (const file of filesUnder(tmp)) expect(readFileSync(file, 'latin1'), file).not.toMatch(pemKey)
    expect(ca.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(1)
    expect(ca).not.toMatch(/PRIVATE KEY/)
    expect(out).not.toMatch(/PRIVATE KEY|-----BEGIN/)
    expect(out).not.toMatch(pemKey)
  })

  it('fails clearly when --tls-cert comes without --tls-key', async () => {
    const child = spawn(tsx, [...fromSources, cli, '--port', '0', '--tls-cert', join(root, 'package.json')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    running.push(child)
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)))
    expect(code).toBe(1)
    expect(err).toMatch(/tls\.cert and tls\.key go together/)
  })
})
