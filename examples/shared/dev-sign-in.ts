import { SignInError, type Tokens } from './auth-session.js'

const isTokens = (value: unknown): value is Tokens =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Tokens).idToken === 'string' &&
  typeof (value as Tokens).sub === 'string' &&
  typeof (value as Tokens).expiresAt === 'number'

/**
 * Signs `name` in with the local stand-in's development identity provider (`POST
 * <httpUrl>/dev-auth/token`): real signed JWTs that the authorizer verifies against the
 * provider's JWKS, as it would Cognito's. Renewal is the same call with the same name.
 */
export async function devSignIn(httpUrl: string, name: string, load: typeof fetch = globalThis.fetch): Promise<Tokens> {
  let response: Response
  try {
    response = await load(new URL('/dev-auth/token', httpUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    })
  } catch (error) {
    throw new SignInError(`the development sign-in at ${httpUrl} is unreachable`, { cause: error })
  }
  if (!response.ok) {
    const refused = response.status >= 400 && response.status < 500
    throw new SignInError(`the development sign-in ${refused ? 'refused' : 'failed'}: HTTP ${response.status}`, { refused })
  }
  const body: unknown = await response.json().catch(() => undefined)
  if (!isTokens(body)) throw new SignInError('the development sign-in answered without a token')
  return { idToken: body.idToken, expiresAt: body.expiresAt, sub: body.sub }
}
