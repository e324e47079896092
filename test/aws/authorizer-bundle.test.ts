import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createClient, type LiveTopicClient } from '@livetopic/core'
import { iotCustomAuthorizer } from '@livetopic/core/aws'
import type { IotAuthorizerEvent, IotAuthorizerHandler } from '@livetopic/core/aws/authorizer'
import { build } from 'esbuild'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { AUTHORIZER_NAME } from '../../examples/shared/config.js'
import { fetchDevToken } from '../../examples/shared/dev-token.js'
import { clientIdOf } from '../../examples/shared/identity.js'
import { useBroker } from '../helpers/broker.js'
import { unsignedToken, useTestIssuer } from '../helpers/test-issuer.js'
import { waitFor } from '../helpers/wait.js'

// The Lambda artifact, not the source: examples/shared/authorizer.ts bundled as the CDK stack
// bundles it (esbuild, platform node, CommonJS, node20), loaded with require, configured by its
// environment variables, and put through the refusal cases.

const entry = fileURLToPath(new URL('../../examples/shared/authorizer.ts', import.meta.url))
let dir: string
let bundleFile: string
let bundleText: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'livetopic-authorizer-'))
  bundleFile = join(dir, 'index.js')
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundleFile, logLevel: 'error' })
  bundleText = readFileSync(bundleFile, 'utf8')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const ENV = ['LIVETOPIC_JWT_ISSUER', 'LIVETOPIC_JWT_AUDIENCE', 'LIVETOPIC_JWT_TOKEN_USE', 'LIVETOPIC_DEVICE_TOKEN'] as const
const clients: LiveTopicClient[] = []
afterEach(async () => {
  for (const name of ENV) delete process.env[name]
  vi.restoreAllMocks()
  await Promise.all(clients.splice(0).map((c) => c.close()))
})

/** A fresh instance of the bundle (a cold Lambda), configured by `env`. */
function loadBundle(env: Partial<Record<(typeof ENV)[number], string>>): IotAuthorizerHandler {
  Object.assign(process.env, env)
  const require = createRequire(bundleFile)
  delete require.cache[bundleFile]
  return (require(bundleFile) as { handler: IotAuthorizerHandler }).handler
}

const event = (token: string | undefined, clientId = 'x'): IotAuthorizerEvent => ({
  ...(token !== undefined ? { token } : {}),
  signatureVerified: false,
  protocols: ['tls', 'http', 'mqtt'],
  protocolData: { mqtt: { clientId } },
  connectionMetadata: { id: 'c' },
})

describe('the bundled example authorizer (the Lambda artifact)', () => {
  it('carries neither the broker, nor the browser client, nor the AWS SDK', () => {
    for (const absent of ['aedes', 'node_modules/ws/', '@aws-sdk', 'nanostores', 'packages/broker', 'packages/core/src/client'])
      expect(bundleText).not.toContain(absent)
    expect(bundleText).toContain('aws-jwt-verify')
  })

  it('admits a valid Cognito-style ID token with the user’s own policy, and refuses every bad one', async () => {
    const issuer = await useTestIssuer('app-client-id')
    const handler = loadBundle({ LIVETOPIC_JWT_ISSUER: issuer.issuer, LIVETOPIC_JWT_AUDIENCE: 'app-client-id', LIVETOPIC_JWT_TOKEN_USE: 'id' })
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const good = await issuer.sign({ sub: 'user-1' })
    const admitted = await handler(event(good))
    expect(admitted).toMatchObject({ isAuthenticated: true, principalId: 'user1' })
    const statements = admitted.policyDocuments.flatMap((d) => d.Statement)
    expect(statements.find((s) => s.Action === 'iot:Connect')?.Resource).toBe('arn:aws:iot:*:*:client/user-1_*')

    const now = Math.floor(Date.now() / 1000)
    const bad = {
      forged: await issuer.sign({}, { key: await issuer.foreignKey() }),
      expired: await issuer.sign({ iat: now - 7200, exp: now - 60 }),
      audience: await issuer.sign({ aud: 'another-client' }),
      none: unsignedToken({ iss: issuer.issuer, aud: 'app-client-id', sub: 'user-1', token_use: 'id', exp: now + 3600 }, issuer.kid),
      noneSigned: `${unsignedToken({ iss: issuer.issuer, aud: 'app-client-id', sub: 'user-1', token_use: 'id', exp: now + 3600 }, issuer.kid)}c2ln`,
      kid: await issuer.sign({}, { kid: 'unknown-kid' }),
      tokenUse: await issuer.sign({ token_use: 'access' }),
    }
    for (const [name, token] of Object.entries(bad)) expect((await handler(event(token))).isAuthenticated, name).toBe(false)
    expect(await handler(event(undefined))).toMatchObject({ isAuthenticated: false })
    // never a token in what it logs
    const logged = JSON.stringify(vi.mocked(console.warn).mock.calls)
    for (const token of [good, ...Object.values(bad)]) expect(logged).not.toContain(token.split('.')[2] || token)
  })

  it('refuses everyone when its environment is missing, and admits the device only by LIVETOPIC_DEVICE_TOKEN', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const unconfigured = loadBundle({})
    expect(await unconfigured(event('anything'))).toMatchObject({ isAuthenticated: false })
    const issuer = await useTestIssuer('a')
    const handler = loadBundle({ LIVETOPIC_JWT_ISSUER: issuer.issuer, LIVETOPIC_JWT_AUDIENCE: 'a', LIVETOPIC_DEVICE_TOKEN: 'a-long-device-secret' })
    expect(await handler(event('a-long-device-secret', 'telemetry-1'))).toMatchObject({ isAuthenticated: true, principalId: 'device' })
    expect(await handler(event('a-long-device-secreT', 'telemetry-1'))).toMatchObject({ isAuthenticated: false })
  })

  it('runs as the stand-in’s authorizer: a dev-issuer user connects as themselves only', async () => {
    const late: { handler?: IotAuthorizerHandler } = {}
    const broker = await useBroker({ devIdentity: true, logger: 'silent', authorizer: (e) => late.handler!(e) })
    late.handler = loadBundle({
      LIVETOPIC_JWT_ISSUER: broker.devIdentity!.issuer,
      LIVETOPIC_JWT_AUDIENCE: broker.devIdentity!.audience,
      LIVETOPIC_JWT_TOKEN_USE: 'id',
    })
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const alice = await fetchDevToken(broker.httpUrl, 'Alice')
    const bob = await fetchDevToken(broker.httpUrl, 'Bob')
    const make = (clientId: string): LiveTopicClient => {
      const client = createClient({ url: iotCustomAuthorizer({ endpoint: broker.url, authorizerName: AUTHORIZER_NAME, token: alice.idToken }), clientId })
      clients.push(client)
      client.connect()
      return client
    }
    await waitFor(make(clientIdOf(alice.sub, 'tab1')).status, (s) => s.status === 'connected')
    expect((await waitFor(make(clientIdOf(bob.sub, 'tab1')).status, (s) => s.status === 'failed')).error?.code).toBe('NOT_AUTHORIZED')
  })
})
