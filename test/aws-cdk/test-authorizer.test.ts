import { spawn } from 'node:child_process'
import { createSign, generateKeyPairSync } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeEach, describe, expect, it } from 'vitest'
import { testAuthorizer, type Authorizer } from '@livetopic/broker'
import { createExampleAuthorizer } from '../../examples/shared/authorizer.js'
import { useTestIssuer, type TestIssuer } from '../helpers/test-issuer.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const exampleFile = join(root, 'examples/shared/authorizer.ts')
const DEVICE_TOKEN = 'device-secret-for-tests'

// the example authorizer verifying JWTs of a test issuer on 127.0.0.1; Alice's token has sub `alice`
let issuer: TestIssuer
let exampleAuthorizer: Authorizer
let BROWSER_TOKEN: string
beforeEach(async () => {
  issuer = await useTestIssuer('example-app')
  exampleAuthorizer = createExampleAuthorizer({ issuer: issuer.issuer, audience: 'example-app', tokenUse: 'id', deviceToken: DEVICE_TOKEN })
  BROWSER_TOKEN = await issuer.sign({ sub: 'alice' })
})

describe("testAuthorizer (the stand-in's test-invoke-authorizer) on the example authorizer", () => {
  it("sends IoT's WebSocket event and reports each action allowed, with the statement that decided it", async () => {
    let seen: Parameters<Authorizer>[0] | undefined
    const result = await testAuthorizer({
      authorizer: (event) => ((seen = event), exampleAuthorizer(event)),
      token: BROWSER_TOKEN,
      clientId: 'alice_1234',
      publish: ['client/alice_1234'],
      subscribe: ['rooms/lobby/messages'],
      receive: ['rooms/lobby/messages'],
    })
    expect(seen).toMatchObject({
      token: BROWSER_TOKEN,
      signatureVerified: false,
      protocols: ['tls', 'http', 'mqtt'],
      protocolData: { mqtt: { clientId: 'alice_1234' } },
    })
    expect(seen?.protocolData.http?.queryString).toMatch(/^\?x-amz-customauthorizer-name=TestAuthorizer&token=/)
    expect(result.ok).toBe(true)
    expect(result.principalId).toBe('alice')
    expect(result.decisions.map((d) => [d.action, d.name, d.allowed, d.reason])).toEqual([
      ['iot:Connect', 'alice_1234', true, 'policy 1, statement 1 (Allow)'],
      ['iot:Publish', 'client/alice_1234', true, 'policy 1, statement 2 (Allow)'],
      ['iot:Subscribe', 'rooms/lobby/messages', true, 'policy 1, statement 3 (Allow)'],
      ['iot:Receive', 'rooms/lobby/messages', true, 'policy 1, statement 4 (Allow)'],
    ])
  })

  it("reports denied actions: another user's client id and input topic, the room itself, a device's subscribe", async () => {
    const browser = await testAuthorizer({
      authorizer: exampleAuthorizer,
      token: BROWSER_TOKEN,
      clientId: 'bob_1',
      publish: ['client/bob_1', 'rooms/lobby/messages'],
      subscribe: ['users/bob/inbox', 'users/alice/inbox'],
    })
    expect(browser.ok).toBe(false)
    expect(browser.decisions.map((d) => [d.name, d.allowed, d.reason])).toEqual([
      ['bob_1', false, 'no Allow statement matched'],
      ['client/bob_1', true, 'policy 1, statement 2 (Allow)'], // `${iot:ClientId}`: as bob_1, if it could connect
      ['rooms/lobby/messages', false, 'no Allow statement matched'],
      ['users/bob/inbox', false, 'no Allow statement matched'],
      ['users/alice/inbox', true, 'policy 1, statement 3 (Allow)'],
    ])
    const device = await testAuthorizer({
      authorizer: exampleAuthorizer,
      token: DEVICE_TOKEN,
      clientId: 'telemetry-1',
      publish: ['telemetry/cpu'],
      subscribe: ['rooms/lobby/messages'],
    })
    expect(device.decisions.map((d) => d.allowed)).toEqual([true, true, false])
    // a Deny statement wins over the Allow, and says so
    const presence = await testAuthorizer({ authorizer: exampleAuthorizer, token: BROWSER_TOKEN, receive: ['$aws/events/presence/connected/telemetry-1'] })
    expect(presence.decisions[0]).toMatchObject({ allowed: false, reason: 'policy 1, statement 5 (Deny)' })
  })

  it('flags responses IoT would refuse: not authenticated, malformed, bad principal', async () => {
    const unknown = await testAuthorizer({ authorizer: exampleAuthorizer, token: await issuer.sign({ aud: 'other-app' }), publish: ['client/x'] })
    expect(unknown).toMatchObject({ ok: false, invalid: 'authorizer answered isAuthenticated: false', decisions: [] })
    const malformed = await testAuthorizer({ authorizer: async (e) => ({ ...(await exampleAuthorizer(e)), principalId: 'has-dash' }), token: BROWSER_TOKEN })
    expect(malformed).toMatchObject({ ok: false, invalid: 'principalId must match [a-zA-Z0-9]{1,128}' })
    const short = await testAuthorizer({ authorizer: async (e) => ({ ...(await exampleAuthorizer(e)), disconnectAfterInSeconds: 60 }), token: BROWSER_TOKEN })
    expect(short.invalid).toBe('disconnectAfterInSeconds must be between 300 and 86400')
    const threw = await testAuthorizer({
      authorizer: () => {
        throw new Error(`boom ${BROWSER_TOKEN}`)
      },
      token: BROWSER_TOKEN,
    })
    expect(threw.invalid).toBe('authorizer threw') // the thrown message (which may hold secrets) is not echoed
  })

  it('gives up after the time limit, as IoT does after 5 s', async () => {
    const result = await testAuthorizer({
      authorizer: (e) => new Promise((r) => setTimeout(() => r(exampleAuthorizer(e)), 1000)),
      token: BROWSER_TOKEN,
      timeoutMs: 100,
    })
    expect(result).toMatchObject({ ok: false, invalid: 'authorizer did not answer within 100 ms' })
  })

  it('checks the token signature before invoking the authorizer when public keys are given', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const publicKeys = [publicKey.export({ type: 'spki', format: 'pem' }).toString()]
    const sign = (token: string): string => createSign('RSA-SHA256').update(token).sign(privateKey, 'base64')
    let calls = 0
    const counted: Authorizer = (e) => (calls++, exampleAuthorizer(e))
    expect((await testAuthorizer({ authorizer: counted, token: BROWSER_TOKEN, tokenSignature: sign(BROWSER_TOKEN), publicKeys })).ok).toBe(true)
    expect(await testAuthorizer({ authorizer: counted, token: BROWSER_TOKEN, tokenSignature: sign('other'), publicKeys })).toMatchObject({
      ok: false,
      invalid: 'token signature is invalid',
    })
    expect(calls).toBe(1)
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString()
    await expect(testAuthorizer({ authorizer: counted, token: 't', tokenSignature: 's', publicKeys: [small] })).rejects.toThrow(
      /1024 bits: IoT requires at least 2048/,
    )
  })
})

/** Runs `livetopic-broker test-authorizer` from the sources (tsx); resolves with its exit code and output. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(
    join(root, 'node_modules/.bin/tsx'),
    ['--conditions=livetopic-source', join(root, 'packages/broker/src/cli.ts'), 'test-authorizer', ...args],
    {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err })))
}

// a spawned tsx process is slow on a loaded 2-core machine: generous limits, no speed assertions
describe('livetopic-broker test-authorizer (CLI)', { timeout: 60_000 }, () => {
  it('prints the response and ALLOWED lines, exit 0; a denied action gives DENIED and exit 1; never prints the token', async () => {
    // the Lambda entry `handler`, configured by its environment as on AWS
    const env = { LIVETOPIC_JWT_ISSUER: issuer.issuer, LIVETOPIC_JWT_AUDIENCE: 'example-app', LIVETOPIC_JWT_TOKEN_USE: 'id' }
    const [allowed, denied] = await Promise.all([
      cli(
        ['--authorizer', exampleFile, '--token', BROWSER_TOKEN, '--client-id', 'alice_1', '--publish', 'client/alice_1', '--subscribe', 'announcements'],
        env,
      ),
      cli(['--authorizer', exampleFile, '--token', BROWSER_TOKEN, '--client-id', 'alice_1', '--publish', 'rooms/lobby/messages'], env),
    ])
    expect(allowed.code).toBe(0)
    expect(allowed.out).toContain('"principalId": "alice"')
    expect(allowed.out).toMatch(/ALLOWED iot:Connect alice_1 +\(arn:aws:iot:us-east-1:123456789012:client\/alice_1\): policy 1, statement 1 \(Allow\)/)
    expect(allowed.out).toMatch(/ALLOWED iot:Publish client\/alice_1 .*statement 2 \(Allow\)/)
    expect(allowed.out).toMatch(/ALLOWED iot:Subscribe announcements .*statement 3 \(Allow\)/)
    expect(denied.code).toBe(1)
    expect(denied.out).toMatch(/DENIED {2}iot:Publish rooms\/lobby\/messages .*no Allow statement matched/)
    expect(allowed.out + allowed.err + denied.out + denied.err).not.toContain(BROWSER_TOKEN)
  })

  it('exits 1 with INVALID for a refused token, and 2 with the usage when --authorizer is missing', async () => {
    const [invalid, usage] = await Promise.all([cli(['--authorizer', exampleFile, '--token', 'nope']), cli(['--token', 'x'])])
    expect(invalid.code).toBe(1)
    expect(invalid.out).toContain('INVALID: authorizer answered isAuthenticated: false')
    expect(usage.code).toBe(2)
    expect(usage.err).toContain('Usage: livetopic-broker test-authorizer')
  })
})
