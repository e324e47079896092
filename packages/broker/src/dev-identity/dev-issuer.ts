import { createHash, randomBytes } from 'node:crypto'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'

/** Audience (`aud`) of every token the development issuer signs. */
export const DEV_AUDIENCE = 'livetopic-dev'

/** Default life of a development token, seconds. */
const DEV_TOKEN_TTL_SECONDS = 3600

/** Longest name, after trimming, a development token is issued for. */
const MAX_NAME_LENGTH = 40

/** A signed development ID token, as `POST /dev-auth/token` returns it. */
interface DevToken {
  idToken: string
  /** When it expires, epoch milliseconds. */
  expiresAt: number
  sub: string
}

/** A development OpenID issuer: one RSA key pair made in memory, never written anywhere. */
export interface DevIssuer {
  /** `<broker httpUrl>/dev-auth`, known once the broker listens. */
  issuer(): string
  /** The public key set, as `/.well-known/jwks.json` serves it. */
  readonly jwks: { keys: JWK[] }
  /** Signs an ID token for `name`; throws {@link DevNameError} for a name out of range. */
  issue(name: unknown): Promise<DevToken>
}

/** A name a development token cannot be issued for. */
export class DevNameError extends Error {
  override name = 'DevNameError'
}

/** Stable user id of a name: the same name (any case, any surrounding blanks) is the same user. */
const devSubOf = (name: string): string => `dev-${createHash('sha256').update(name.trim().toLowerCase()).digest('hex').slice(0, 16)}`

function checkName(name: unknown): string {
  if (typeof name !== 'string') throw new DevNameError('"name" must be a string')
  const trimmed = name.trim()
  const length = [...trimmed].length
  if (length < 1 || length > MAX_NAME_LENGTH) throw new DevNameError(`"name" must be 1 to ${MAX_NAME_LENGTH} characters`)
  return trimmed
}

async function makeSigningKey(): Promise<{ privateKey: CryptoKey; kid: string; jwks: { keys: JWK[] } }> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048 })
  const kid = randomBytes(8).toString('hex')
  return { privateKey, kid, jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] } }
}

// One key pair per process, in memory only: a broker restarted in the same process (a test's
// restart, the CLI's) keeps accepting the tokens its pages hold; a new process is a key rotation.
let signingKey: ReturnType<typeof makeSigningKey> | undefined

/** Makes the issuer: a 2048-bit RS256 key pair with a random `kid`, made once per process. */
export async function createDevIssuer(issuer: () => string, tokenTtlSeconds = DEV_TOKEN_TTL_SECONDS): Promise<DevIssuer> {
  if (!Number.isInteger(tokenTtlSeconds) || tokenTtlSeconds < 1) throw new TypeError('devIdentity.tokenTtlSeconds must be a whole number of seconds ≥ 1')
  signingKey ??= makeSigningKey().catch((error: unknown) => {
    signingKey = undefined
    throw error
  })
  const { privateKey, kid, jwks } = await signingKey
  return {
    issuer,
    jwks,
    async issue(rawName) {
      const name = checkName(rawName)
      const sub = devSubOf(name)
      const iat = Math.floor(Date.now() / 1000)
      const exp = iat + tokenTtlSeconds
      const idToken = await new SignJWT({ name, token_use: 'id' })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(issuer())
        .setAudience(DEV_AUDIENCE)
        .setSubject(sub)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(privateKey)
      return { idToken, expiresAt: exp * 1000, sub }
    },
  }
}
