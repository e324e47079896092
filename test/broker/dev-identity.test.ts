import { createHash } from 'node:crypto'
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { useBroker } from '../helpers/broker.js'

const post = (url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) })

describe('development identity provider (startBroker({ devIdentity }))', () => {
  it('serves OpenID discovery and a JWKS, and signs ID tokens that verify against them', async () => {
    const broker = await useBroker({ devIdentity: true, logger: 'silent' })
    const issuer = `${broker.httpUrl}/dev-auth`
    expect(broker.devIdentity).toEqual({ issuer, audience: 'livetopic-dev' })
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>
    expect(discovery).toMatchObject({ issuer, jwks_uri: `${issuer}/.well-known/jwks.json` })
    const jwks = (await (await fetch(`${issuer}/.well-known/jwks.json`)).json()) as { keys: { kid: string; kty: string; d?: string }[] }
    expect(jwks.keys).toHaveLength(1)
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' })
    expect(jwks.keys[0]!.d).toBeUndefined() // the public half only

    const before = Date.now()
    const response = await post(`${issuer}/token`, { name: '  Alice ' })
    expect(response.status).toBe(200)
    const { idToken, expiresAt, sub } = (await response.json()) as { idToken: string; expiresAt: number; sub: string }
    const expectedSub = `dev-${createHash('sha256').update('alice').digest('hex').slice(0, 16)}`
    expect(sub).toBe(expectedSub)
    expect(decodeProtectedHeader(idToken)).toMatchObject({ alg: 'RS256', kid: jwks.keys[0]!.kid })
    const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(discovery.jwks_uri as string)), { issuer, audience: 'livetopic-dev' })
    expect(payload).toMatchObject({ sub: expectedSub, name: 'Alice', token_use: 'id' })
    expect(payload.exp! - payload.iat!).toBe(3600)
    expect(expiresAt).toBe(payload.exp! * 1000)
    expect(expiresAt).toBeGreaterThanOrEqual(before + 3599_000)
    // the same name in another case is the same user
    const again = (await (await post(`${issuer}/token`, { name: 'ALICE' })).json()) as { sub: string }
    expect(again.sub).toBe(expectedSub)
  })

  it('honours tokenTtlSeconds and refuses names out of range with a JSON 400', async () => {
    const broker = await useBroker({ devIdentity: { tokenTtlSeconds: 60 }, logger: 'silent' })
    const url = `${broker.httpUrl}/dev-auth/token`
    const { expiresAt } = (await (await post(url, { name: 'bob' })).json()) as { expiresAt: number }
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(60_000)
    expect(expiresAt - Date.now()).toBeGreaterThan(55_000)
    for (const body of [{ name: '   ' }, { name: 'x'.repeat(41) }, { name: 7 }, {}, '{not json', 'null']) {
      const refused = await post(url, body)
      expect(refused.status, JSON.stringify(body)).toBe(400)
      expect(((await refused.json()) as { message: string }).message).toMatch(/name|JSON/)
    }
    expect((await post(url, { name: 'é'.repeat(40) })).status).toBe(200) // 40 characters, not bytes
  })

  it('answers a loopback page cross-origin (CORS) and stays behind the Host and Origin guard', async () => {
    const broker = await useBroker({ devIdentity: true, logger: 'silent' })
    const url = `${broker.httpUrl}/dev-auth/token`
    const page = 'http://localhost:5173'
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin: page, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(page)
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type')
    const ok = await post(url, { name: 'carol' }, { origin: page })
    expect(ok.headers.get('access-control-allow-origin')).toBe(page)
    expect((await post(url, { name: 'carol' }, { origin: 'https://evil.example' })).status).toBe(403)
    // DNS rebinding: a foreign Host name is refused (fetch cannot set Host; use node:http)
    const { request } = await import('node:http')
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { host: `evil.example:${broker.port}`, 'content-type': 'application/json' } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end(JSON.stringify({ name: 'dave' }))
    })
    expect(status).toBe(403)
  })

  it('is off unless asked for', async () => {
    const broker = await useBroker({ logger: 'silent' })
    expect(broker.devIdentity).toBeUndefined()
    expect((await post(`${broker.httpUrl}/dev-auth/token`, { name: 'x' })).status).toBe(404)
  })
})
