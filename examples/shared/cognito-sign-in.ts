import { SignInError, type Tokens } from './auth-session.js'
import type { CognitoAuthConfig } from './config.js'

/**
 * Cognito's Hosted UI with the authorization-code flow and PKCE (RFC 7636), with nothing but
 * fetch and WebCrypto: `beginCognitoSignIn` sends the visitor to the Hosted UI, the page it
 * comes back to calls `completeCognitoSignIn` to trade the code for tokens, and
 * `refreshCognitoTokens` renews them with the refresh token.
 */

const PENDING_KEY = 'livetopic.cognito-pending'

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')

/** The S256 challenge of a verifier: base64url(SHA-256(ASCII(verifier))). */
export async function challengeOf(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))))
}

/** A fresh PKCE pair: a 43-character verifier (32 random bytes) and its S256 challenge. */
export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)))
  return { verifier, challenge: await challengeOf(verifier) }
}

/**
 * The Hosted UI URL to send the visitor to. The verifier and the `state` stay in `storage`
 * (sessionStorage: this tab only) until the visitor comes back to `redirectUri`.
 */
export async function beginCognitoSignIn(auth: CognitoAuthConfig, redirectUri: string, storage: Storage = sessionStorage): Promise<string> {
  const { verifier, challenge } = await pkcePair()
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)))
  storage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }))
  const url = new URL('/oauth2/authorize', auth.domain)
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString()
  return url.toString()
}

/** Tokens plus the display name the ID token carries. */
export interface CognitoSignIn {
  name: string
  tokens: Tokens
}

/**
 * On the page the Hosted UI redirected to (`?code=…&state=…`): trades the code for tokens.
 * Undefined when the URL carries no code; a `state` that is not the one this tab sent is refused
 * (a forged redirect). The caller removes the query from the address bar.
 */
export async function completeCognitoSignIn(
  auth: CognitoAuthConfig,
  pageUrl: string,
  storage: Storage = sessionStorage,
  load: typeof fetch = globalThis.fetch,
): Promise<CognitoSignIn | undefined> {
  const url = new URL(pageUrl)
  const code = url.searchParams.get('code')
  if (!code) return undefined
  const pending = JSON.parse(storage.getItem(PENDING_KEY) ?? 'null') as { verifier: string; state: string } | null
  storage.removeItem(PENDING_KEY) // one use only
  if (!pending || pending.state !== url.searchParams.get('state')) throw new SignInError('the sign-in came back with an unknown state', { refused: true })
  const redirectUri = `${url.origin}${url.pathname}`
  const tokens = await tokenRequest(auth, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: pending.verifier }, load)
  return { name: displayName(tokens.idToken), tokens }
}

/** New tokens from the refresh token (Cognito keeps the refresh token unless rotation is on). */
export function refreshCognitoTokens(auth: CognitoAuthConfig, refreshToken: string, load: typeof fetch = globalThis.fetch): Promise<Tokens> {
  return tokenRequest(auth, { grant_type: 'refresh_token', refresh_token: refreshToken }, load)
}

/** Where to send the visitor to end the Hosted UI's own session too, then come back to `logoutUri`. */
export function cognitoSignOutUrl(auth: CognitoAuthConfig, logoutUri: string): string {
  const url = new URL('/logout', auth.domain)
  url.search = new URLSearchParams({ client_id: auth.clientId, logout_uri: logoutUri }).toString()
  return url.toString()
}

interface TokenResponse {
  id_token?: unknown
  refresh_token?: unknown
  expires_in?: unknown
}

async function tokenRequest(auth: CognitoAuthConfig, form: Record<string, string>, load: typeof fetch): Promise<Tokens> {
  let response: Response
  try {
    response = await load(new URL('/oauth2/token', auth.domain), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form, client_id: auth.clientId }).toString(),
    })
  } catch (error) {
    throw new SignInError('Cognito is unreachable', { cause: error })
  }
  // Cognito's error body names the OAuth error (`invalid_grant`): safe to show, it carries no token
  const body = (await response.json().catch(() => ({}))) as TokenResponse & { error?: unknown }
  if (!response.ok) {
    const refused = response.status >= 400 && response.status < 500
    throw new SignInError(`Cognito ${refused ? 'refused' : 'failed'}: ${typeof body.error === 'string' ? body.error : `HTTP ${response.status}`}`, { refused })
  }
  if (typeof body.id_token !== 'string') throw new SignInError('Cognito answered without an ID token')
  const claims = claimsOf(body.id_token)
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600
  return {
    idToken: body.id_token,
    sub: claims.sub,
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + expiresIn * 1000,
    ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
  }
}

interface IdClaims {
  sub: string
  exp?: number
  name?: string
  email?: string
  'cognito:username'?: string
}

/** The ID token's claims, read (not verified: the authorizer verifies; the page only needs who and until when). */
function claimsOf(idToken: string): IdClaims {
  try {
    const payload = idToken.split('.')[1] ?? ''
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'))
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Partial<IdClaims>
    if (typeof claims.sub === 'string') return claims as IdClaims
  } catch {
    // falls through to the error below, which does not quote the token
  }
  throw new SignInError('Cognito returned an ID token without a readable subject')
}

const displayName = (idToken: string): string => {
  const claims = claimsOf(idToken)
  return claims.name ?? claims.email ?? claims['cognito:username'] ?? 'you'
}
