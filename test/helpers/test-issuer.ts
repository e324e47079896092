import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose'
import { afterEach } from 'vitest'

/** An OIDC issuer on 127.0.0.1 for tests: serves its JWKS and signs whatever claims a test needs. */
export interface TestIssuer {
  issuer: string
  kid: string
  /** Signs `claims` (defaults: iss, aud, sub, token_use `id`, iat now, exp in an hour) with the served key. */
  sign(claims?: JWTPayload, options?: { kid?: string; key?: CryptoKey }): Promise<string>
  /** A key of the same kind that the JWKS does not hold (a forger's). */
  foreignKey(): Promise<CryptoKey>
}

const servers = new Set<Server>()
afterEach(async () => {
  await Promise.all([...servers].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
  servers.clear()
})

/** Starts a test issuer; closed after each test. */
export async function useTestIssuer(audience = 'test-app'): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256')
  const kid = `k${Math.random().toString(36).slice(2, 10)}`
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] }
  const server = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks))
    else res.writeHead(404).end()
  })
  servers.add(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    issuer,
    kid,
    sign(claims = {}, options = {}) {
      const now = Math.floor(Date.now() / 1000)
      return new SignJWT({ iss: issuer, aud: audience, sub: 'user-1', token_use: 'id', iat: now, exp: now + 3600, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? kid, typ: 'JWT' })
        .sign(options.key ?? privateKey)
    },
    foreignKey: async () => (await generateKeyPair('RS256')).privateKey,
  }
}

/** An unsigned token (`alg: none`) with the given claims. */
export function unsignedToken(claims: JWTPayload, kid: string): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'none', kid, typ: 'JWT' })}.${part(claims)}.`
}
