import { jwtAuthorizer, type IotAuthorizerEvent, type JwtAuthorizerRefusal } from '@livetopic/core/aws/authorizer'
import type { IoTCustomAuthorizerHandler } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { unsignedToken, useTestIssuer } from '../helpers/test-issuer.js'

const allow = [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'iot:Connect', Resource: 'arn:aws:iot:*:*:client/x' }] }]

const event = (token: string | undefined, extra: Partial<IotAuthorizerEvent['protocolData']> = {}): IotAuthorizerEvent => ({
  ...(token !== undefined ? { token } : {}),
  signatureVerified: false,
  protocols: ['tls', 'http', 'mqtt'],
  protocolData: { mqtt: { clientId: 'x' }, ...extra },
  connectionMetadata: { id: 'conn-1' },
})

async function setUp(extra: { tokenUse?: 'id' | 'access'; policy?: () => unknown } = {}) {
  const issuer = await useTestIssuer('test-app')
  const refusals: JwtAuthorizerRefusal[] = []
  const handler = jwtAuthorizer({
    issuer: issuer.issuer,
    audience: 'test-app',
    tokenUse: extra.tokenUse ?? 'id',
    policy: (extra.policy as never) ?? ((claims) => ({ principalId: String(claims.sub).replace(/-/g, ''), policyDocuments: allow })),
    onError: (refusal) => refusals.push(refusal),
  })
  return { issuer, handler, refusals }
}

describe('jwtAuthorizer (@livetopic/core/aws/authorizer)', () => {
  it('admits a valid token with the policy built from its claims, until the token expires', async () => {
    const { issuer, handler, refusals } = await setUp()
    const now = Math.floor(Date.now() / 1000)
    const result = await handler(event(await issuer.sign({ sub: 'user-42', exp: now + 1800 })))
    expect(result).toMatchObject({ isAuthenticated: true, principalId: 'user42', policyDocuments: allow })
    expect(result.disconnectAfterInSeconds).toBeGreaterThan(1790)
    expect(result.disconnectAfterInSeconds).toBeLessThanOrEqual(1800)
    expect(result.refreshAfterInSeconds).toBe(result.disconnectAfterInSeconds)
    // IoT's bounds: a token with a minute left still gets 300 s; one for a week gets 86400 s
    expect((await handler(event(await issuer.sign({ exp: now + 60 })))).disconnectAfterInSeconds).toBe(300)
    expect((await handler(event(await issuer.sign({ exp: now + 7 * 86400 })))).disconnectAfterInSeconds).toBe(86400)
    expect(refusals).toEqual([])
    // a handler of IoT's Lambda type, as `export const handler` needs
    const typed: IoTCustomAuthorizerHandler = handler
    expect(typed).toBe(handler)
  })

  it('refuses forged, expired, wrong-audience, wrong-issuer, alg none, unknown kid and wrong token_use tokens, never echoing them', async () => {
    const { issuer, handler, refusals } = await setUp()
    const now = Math.floor(Date.now() / 1000)
    const good = await issuer.sign()
    const [header, payload] = good.split('.')
    const bad = {
      forged: await issuer.sign({}, { key: await issuer.foreignKey() }),
      tampered: `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'admin' })).toString('base64url')}.${good.split('.')[2]}`,
      expired: await issuer.sign({ iat: now - 7200, exp: now - 60 }),
      audience: await issuer.sign({ aud: 'another-app' }),
      issuer: await issuer.sign({ iss: 'http://127.0.0.1:1/other' }),
      none: unsignedToken({ iss: issuer.issuer, aud: 'test-app', sub: 'user-1', token_use: 'id', exp: now + 3600 }, issuer.kid),
      noneSigned: `${unsignedToken({ iss: issuer.issuer, aud: 'test-app', sub: 'user-1', token_use: 'id', exp: now + 3600 }, issuer.kid)}c2ln`,
      kid: await issuer.sign({}, { kid: 'not-in-the-jwks' }),
      tokenUse: await issuer.sign({ token_use: 'access' }),
      noExp: await issuer.sign({ exp: undefined }),
      garbage: 'not.a.jwt',
    }
    for (const [name, token] of Object.entries(bad)) {
      const result = await handler(event(token))
      expect(result, name).toMatchObject({ isAuthenticated: false, policyDocuments: [] })
      const refusal = refusals.at(-1)!
      expect(refusal.reason, name).toBe('invalid-token')
      expect(refusal.connectionId).toBe('conn-1')
      expect(JSON.stringify(refusal), name).not.toContain(token.split('.')[2] || token)
    }
    expect(refusals).toHaveLength(Object.keys(bad).length)
    // the good token still passes after all that
    expect((await handler(event(good))).isAuthenticated).toBe(true)
  })

  it('refuses a request without a token and a malformed event without throwing', async () => {
    const { handler, refusals } = await setUp()
    expect(await handler(event(undefined))).toMatchObject({ isAuthenticated: false })
    expect(await handler({} as IotAuthorizerEvent)).toMatchObject({ isAuthenticated: false })
    expect(await handler(null as unknown as IotAuthorizerEvent)).toMatchObject({ isAuthenticated: false })
    expect(refusals.map((r) => r.reason)).toEqual(['no-token', 'no-token', 'invalid-token'])
  })

  it('finds the token in the MQTT username query, the WebSocket query, an upgrade header or the MQTT password', async () => {
    const { issuer, handler } = await setUp()
    const token = await issuer.sign()
    const places: Partial<IotAuthorizerEvent['protocolData']>[] = [
      { mqtt: { clientId: 'x', username: `alice?x-amz-customauthorizer-name=A&token=${token}` } },
      { http: { headers: {}, queryString: `?x-amz-customauthorizer-name=A&token=${token}` } },
      { http: { headers: { token }, queryString: '' } },
      { mqtt: { clientId: 'x', username: '?x-amz-customauthorizer-name=A', password: Buffer.from(token).toString('base64') } },
    ]
    for (const place of places) expect((await handler(event(undefined, place))).isAuthenticated, JSON.stringify(Object.keys(place))).toBe(true)
  })

  it('a throwing policy refuses and is reported without the token; null refuses a verified caller', async () => {
    let token = ''
    const answers: (() => unknown)[] = [
      () => {
        throw new Error(`cannot decide for ${token}`)
      },
      () => null,
      () => ({ principalId: 'has-dash', policyDocuments: allow }),
      () => [],
    ]
    let n = 0
    const { issuer, handler, refusals } = await setUp({ policy: () => answers[n++]!() })
    token = await issuer.sign()
    for (let i = 0; i < answers.length; i++) expect((await handler(event(token))).isAuthenticated).toBe(false)
    expect(refusals.map((r) => r.reason)).toEqual(['policy-error', 'policy-refused', 'invalid-grant', 'invalid-grant'])
    expect(refusals[0]!.message).toContain('cannot decide for')
    expect(JSON.stringify(refusals)).not.toContain(token)
  })

  it('a throwing onError still refuses; bad session bounds are refused when the authorizer is made', async () => {
    const issuer = await useTestIssuer()
    const handler = jwtAuthorizer({
      issuer: issuer.issuer,
      audience: 'test-app',
      policy: () => allow,
      onError: () => {
        throw new Error('logger down')
      },
    })
    expect(await handler(event('x.y.z'))).toMatchObject({ isAuthenticated: false })
    expect(() => jwtAuthorizer({ issuer: issuer.issuer, audience: 'a', policy: () => allow, minSessionSeconds: 600, maxSessionSeconds: 300 })).toThrow(
      RangeError,
    )
  })

  it('fetches a JWKS over plain HTTP only from a loopback issuer', async () => {
    const refusals: JwtAuthorizerRefusal[] = []
    const handler = jwtAuthorizer({ issuer: 'http://issuer.example', audience: 'a', policy: () => allow, onError: (r) => refusals.push(r) })
    const issuer = await useTestIssuer()
    const token = await issuer.sign({ iss: 'http://issuer.example', aud: 'a' })
    expect((await handler(event(token))).isAuthenticated).toBe(false)
    expect(refusals[0]!.message).toMatch(/https/)
  })
})
