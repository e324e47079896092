import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AuthSession, SignInError } from '../../examples/shared/auth-session.js'
import { beginCognitoSignIn, challengeOf, completeCognitoSignIn, pkcePair, refreshCognitoTokens } from '../../examples/shared/cognito-sign-in.js'
import type { CognitoAuthConfig } from '../../examples/shared/config.js'

// Cognito cannot run locally: a small real HTTP server on 127.0.0.1 plays its token endpoint (the
// one stand-in endpoint of the examples), checking what Cognito checks: the client, the redirect,
// the PKCE verifier against the challenge the authorize URL carried, the refresh token.

const CLIENT_ID = 'example-client'
const REDIRECT = 'https://app.example.test/'
const SUB = '4f1c2b7e-0000-4000-8000-00000000abcd'

/** Web Storage (localStorage/sessionStorage) as the page has it; Node 20 has none. */
class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>()
  get length(): number {
    return this.#items.size
  }
  clear(): void {
    this.#items.clear()
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null
  }
  removeItem(key: string): void {
    this.#items.delete(key)
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, String(value))
  }
}

/** An ID token shaped as Cognito's (the page reads its claims; the authorizer, not the page, verifies). */
const idToken = (claims: Record<string, unknown>): string =>
  ['{"alg":"RS256","kid":"k1"}', JSON.stringify(claims), 'signature'].map((part) => Buffer.from(part).toString('base64url')).join('.')

/** The token endpoint's state: the challenge of the pending code, the live refresh token, what it was asked. */
const cognito = {
  challenge: '',
  code: 'the-code',
  refreshToken: 'refresh-1',
  requests: [] as URLSearchParams[],
  issued: 0,
}

let server: Server
let auth: CognitoAuthConfig

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const form = new URLSearchParams(body)
      cognito.requests.push(form)
      const answer = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json))
      if (req.method !== 'POST' || req.url !== '/oauth2/token' || req.headers['content-type'] !== 'application/x-www-form-urlencoded')
        return answer(400, { error: 'invalid_request' })
      if (form.get('client_id') !== CLIENT_ID) return answer(400, { error: 'invalid_client' })
      const exp = Math.floor(Date.now() / 1000) + 3600
      const tokens = () => ({
        id_token: idToken({ sub: SUB, exp, email: 'ada@example.test', n: ++cognito.issued }),
        access_token: 'access',
        expires_in: 3600,
        token_type: 'Bearer',
      })
      if (form.get('grant_type') === 'authorization_code') {
        // S256: the challenge is base64url(SHA-256(verifier)), computed here independently of the page
        const verifier = form.get('code_verifier') ?? ''
        const matches = createHash('sha256').update(verifier).digest('base64url') === cognito.challenge
        if (form.get('code') !== cognito.code || form.get('redirect_uri') !== REDIRECT || !matches) return answer(400, { error: 'invalid_grant' })
        return answer(200, { ...tokens(), refresh_token: cognito.refreshToken })
      }
      if (form.get('grant_type') === 'refresh_token') {
        if (form.get('refresh_token') !== cognito.refreshToken) return answer(400, { error: 'invalid_grant' })
        return answer(200, tokens()) // Cognito keeps the refresh token (no rotation): none in the answer
      }
      answer(400, { error: 'unsupported_grant_type' })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  auth = { kind: 'cognito', region: 'eu-west-1', userPoolId: 'eu-west-1_Example', clientId: CLIENT_ID, domain: `http://127.0.0.1:${port}` }
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

beforeEach(() => {
  cognito.requests = []
  cognito.refreshToken = 'refresh-1'
})

describe('PKCE', () => {
  it("matches RFC 7636's example: the challenge is base64url(SHA-256(verifier))", async () => {
    await expect(challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).resolves.toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')
  })

  it('makes a fresh 43-character verifier each time, with its S256 challenge', async () => {
    const [a, b] = await Promise.all([pkcePair(), pkcePair()])
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(a.verifier).not.toBe(b.verifier)
    expect(a.challenge).toBe(createHash('sha256').update(a.verifier).digest('base64url'))
  })
})

describe('Hosted UI sign-in (authorization code + PKCE)', () => {
  it('sends the challenge to /oauth2/authorize and trades the code with its verifier for tokens', async () => {
    const pending = new MemoryStorage()
    const authorize = new URL(await beginCognitoSignIn(auth, REDIRECT, pending))
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${auth.domain}/oauth2/authorize`)
    const query = Object.fromEntries(authorize.searchParams)
    expect(query).toMatchObject({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT, code_challenge_method: 'S256' })
    // the verifier itself never leaves the page before the code exchange
    expect(authorize.toString()).not.toContain((JSON.parse(pending.getItem('livetopic.cognito-pending')!) as { verifier: string }).verifier)
    cognito.challenge = query.code_challenge!

    const done = await completeCognitoSignIn(auth, `${REDIRECT}?code=${cognito.code}&state=${query.state}`, pending)
    expect(done?.name).toBe('ada@example.test')
    expect(done?.tokens).toMatchObject({ sub: SUB, refreshToken: 'refresh-1' })
    expect(done!.tokens.expiresAt).toBeGreaterThan(Date.now() + 3_500_000)
    // one use: the same redirect again is refused, without asking Cognito
    await expect(completeCognitoSignIn(auth, `${REDIRECT}?code=${cognito.code}&state=${query.state}`, pending)).rejects.toMatchObject({ refused: true })
    expect(cognito.requests).toHaveLength(1)
  })

  it('refuses a redirect whose state is not the one this tab sent, without a request', async () => {
    const pending = new MemoryStorage()
    await beginCognitoSignIn(auth, REDIRECT, pending)
    await expect(completeCognitoSignIn(auth, `${REDIRECT}?code=${cognito.code}&state=forged`, pending)).rejects.toBeInstanceOf(SignInError)
    expect(cognito.requests).toHaveLength(0)
  })

  it('is refused by the token endpoint when the verifier does not match the challenge', async () => {
    const pending = new MemoryStorage()
    const { searchParams } = new URL(await beginCognitoSignIn(auth, REDIRECT, pending))
    cognito.challenge = (await pkcePair()).challenge // another pair's challenge
    await expect(completeCognitoSignIn(auth, `${REDIRECT}?code=${cognito.code}&state=${searchParams.get('state')}`, pending)).rejects.toThrow(
      /refused: invalid_grant/,
    )
  })

  it('does nothing on a page without a code', async () => {
    await expect(completeCognitoSignIn(auth, REDIRECT, new MemoryStorage())).resolves.toBeUndefined()
  })
})

describe('token refresh through the session', () => {
  const renew = ({ refreshToken }: { refreshToken?: string }) => refreshCognitoTokens(auth, refreshToken ?? '')
  const signedIn = async (expiresInMs: number) => {
    const storage = new MemoryStorage()
    const session = new AuthSession(storage, renew, undefined)
    const exp = Date.now() + expiresInMs
    await session.signIn('Ada', { idToken: idToken({ sub: SUB, exp: exp / 1000, n: 0 }), sub: SUB, expiresAt: exp, refreshToken: 'refresh-1' })
    return { session, storage }
  }
  const number = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { n: number }).n

  it('hands out the stored token while more than 5 minutes are left, without a request', async () => {
    const { session } = await signedIn(10 * 60_000)
    expect(number(await session.token())).toBe(0)
    expect(cognito.requests).toHaveLength(0)
    expect(session.user).toMatchObject({ name: 'Ada', userId: SUB })
    expect(session.user!.clientId).toMatch(new RegExp(`^${SUB}_Ada-[a-z0-9]+$`)) // the name labels the device part
  })

  it('refreshes once for concurrent connect attempts when less than 5 minutes are left, and keeps the refresh token', async () => {
    const { session, storage } = await signedIn(4 * 60_000)
    const tokens = await Promise.all([session.token(), session.token(), session.token()])
    expect(new Set(tokens).size).toBe(1)
    expect(number(tokens[0])).toBeGreaterThan(0)
    expect(cognito.requests.map((r) => r.get('grant_type'))).toEqual(['refresh_token'])
    // stored for every tab, the refresh token kept (Cognito's answer has none)
    expect(JSON.parse(storage.getItem('livetopic.session')!)).toMatchObject({ idToken: tokens[0], refreshToken: 'refresh-1' })
    expect(await session.token()).toBe(tokens[0])
    expect(cognito.requests).toHaveLength(1)
  })

  it('refreshes a token that looks valid when asked to (the authorizer refused it)', async () => {
    const { session } = await signedIn(30 * 60_000)
    expect(number(await session.token({ renew: true }))).toBeGreaterThan(0)
    expect(cognito.requests.map((r) => r.get('grant_type'))).toEqual(['refresh_token'])
  })

  it('refreshes an expired token', async () => {
    const { session } = await signedIn(-1000)
    expect(number(await session.token())).toBeGreaterThan(0)
    expect(cognito.requests).toHaveLength(1)
  })

  it('signs out when Cognito refuses the refresh token, and the error carries no token', async () => {
    const { session, storage } = await signedIn(60_000)
    const seen: unknown[] = []
    session.subscribe((user) => seen.push(user))
    cognito.refreshToken = 'revoked-meanwhile'
    const error = (await session.token().catch((e: unknown) => e)) as SignInError
    expect(error).toBeInstanceOf(SignInError)
    expect(error.refused).toBe(true)
    expect(error.message).toBe('Cognito refused: invalid_grant')
    expect(session.user).toBeUndefined()
    expect(seen).toEqual([undefined])
    expect(storage.getItem('livetopic.session')).toBeNull()
    await expect(session.token()).rejects.toThrow('signed out')
  })
})
