import { redact } from '../../redact.js'
import type { IotAuthorizerEvent, IotAuthorizerResult, IotPolicyDocument } from './iot-authorizer-types.js'
import { createJwtVerifier, type JwtClaims, type JwtVerifyOptions } from './jwt-verifier.js'
import { clampSeconds, IOT_MAX_SESSION_SECONDS, IOT_MIN_SESSION_SECONDS, sessionSeconds } from './session-length.js'
import { tokenInEvent } from './token-in-event.js'

/** What the policy callback grants a verified caller. */
export interface JwtGrant {
  /** `[a-zA-Z0-9]{1,128}`; default the token's `sub` without its other characters. */
  principalId?: string
  /** At most 10, each at most 2048 characters as JSON. */
  policyDocuments: IotPolicyDocument[]
}

/** Why a connection was refused; never carries the token. */
export interface JwtAuthorizerRefusal {
  /**
   * `no-token`: none in the request; `invalid-token`: too long, not verified, or without `exp`;
   * `policy-error`: `policy` threw; `policy-refused`: it returned null; `invalid-grant`: a bad
   * `principalId` or not 1 to 10 policy documents.
   */
  reason: 'no-token' | 'invalid-token' | 'policy-error' | 'policy-refused' | 'invalid-grant'
  /** What was wrong (the verifier's or the policy's message, with the token blanked out). */
  message: string
  /** IoT's connection id, to find the attempt in IoT's logs. */
  connectionId?: string
}

/** Options of {@link jwtAuthorizer}. */
export interface JwtAuthorizerOptions extends JwtVerifyOptions {
  /**
   * The policy of a verified caller, from its claims (and the request, e.g. its client id).
   * Return `null` to refuse a verified caller; a throw refuses too and is reported to `onError`.
   */
  policy(claims: JwtClaims, event: IotAuthorizerEvent): JwtGrant | IotPolicyDocument[] | null | Promise<JwtGrant | IotPolicyDocument[] | null>
  /** Query key or header carrying the token (IoT's `tokenKeyName`); default `token`. */
  tokenKeyName?: string
  /** Shortest `disconnectAfterInSeconds`; default 300, IoT's minimum (the stand-in's tests go lower). */
  minSessionSeconds?: number
  /** Longest `disconnectAfterInSeconds`; default 86400, IoT's maximum. */
  maxSessionSeconds?: number
  /** When IoT asks again with the same token; default the session length (never before it ends). */
  refreshAfterInSeconds?: number
  /** Told of every refusal (without the token); default a `console.warn` line. */
  onError?: (refusal: JwtAuthorizerRefusal) => void
}

/** IoT's custom authorizer Lambda handler. */
export type IotAuthorizerHandler = (event: IotAuthorizerEvent) => Promise<IotAuthorizerResult>

// Cognito's tokens are ~1 kB, with many groups a few; anything far larger is not worth parsing
const MAX_TOKEN_CHARS = 16_384
const PRINCIPAL = /^[a-zA-Z0-9]{1,128}$/

const warn = (refusal: JwtAuthorizerRefusal): void => console.warn(`livetopic authorizer: refused (${refusal.reason}): ${refusal.message}`)

class Refusal extends Error {
  constructor(
    readonly reason: JwtAuthorizerRefusal['reason'],
    message: string,
  ) {
    super(message)
  }
}

function grantOf(answer: JwtGrant | IotPolicyDocument[] | null, claims: JwtClaims): Required<JwtGrant> {
  if (answer === null || answer === undefined) throw new Refusal('policy-refused', 'the policy refused this caller')
  const grant = Array.isArray(answer) ? { policyDocuments: answer } : answer
  const principalId =
    grant.principalId ??
    String(claims.sub ?? '')
      .replace(/[^a-zA-Z0-9]/g, '')
      .slice(0, 128)
  if (!PRINCIPAL.test(principalId)) throw new Refusal('invalid-grant', 'principalId must be [a-zA-Z0-9]{1,128}')
  if (!Array.isArray(grant.policyDocuments) || grant.policyDocuments.length === 0 || grant.policyDocuments.length > 10)
    throw new Refusal('invalid-grant', 'policyDocuments must hold 1 to 10 documents')
  return { principalId, policyDocuments: grant.policyDocuments }
}

/**
 * A custom authorizer for AWS IoT Core that admits callers with a valid JWT: signature checked
 * against the issuer's JWKS (fetched once, cached in module scope), issuer, audience or client
 * id, expiry and token use, with `aws-jwt-verify`. Its policy comes from `policy(claims)`; the
 * connection ends when the token does (`disconnectAfterInSeconds`, in IoT's 300–86400 s).
 * Anything wrong refuses the connection (`isAuthenticated: false`); the handler never throws.
 *
 * ```ts
 * export const handler = jwtAuthorizer({ issuer, audience: clientId, tokenUse: 'id', policy: (claims) => [...] })
 * ```
 */
export function jwtAuthorizer(options: JwtAuthorizerOptions): IotAuthorizerHandler {
  const verify = createJwtVerifier(options)
  const min = options.minSessionSeconds ?? IOT_MIN_SESSION_SECONDS
  const max = options.maxSessionSeconds ?? IOT_MAX_SESSION_SECONDS
  if (!(min > 0 && max >= min)) throw new RangeError('jwtAuthorizer: need 0 < minSessionSeconds ≤ maxSessionSeconds')
  const tokenKeyName = options.tokenKeyName ?? 'token'
  const report = options.onError ?? warn
  const refused: IotAuthorizerResult = {
    isAuthenticated: false,
    principalId: 'refused',
    policyDocuments: [],
    disconnectAfterInSeconds: min,
    refreshAfterInSeconds: min,
  }

  async function decide(event: IotAuthorizerEvent, token: string | undefined): Promise<IotAuthorizerResult> {
    if (!token) throw new Refusal('no-token', 'no token in the request')
    if (token.length > MAX_TOKEN_CHARS) throw new Refusal('invalid-token', `token longer than ${MAX_TOKEN_CHARS} characters`)
    let claims: JwtClaims
    try {
      claims = await verify(token)
    } catch (error) {
      throw new Refusal('invalid-token', error instanceof Error ? error.message : String(error))
    }
    if (typeof claims.exp !== 'number') throw new Refusal('invalid-token', 'token has no exp')
    let answer: JwtGrant | IotPolicyDocument[] | null
    try {
      answer = await options.policy(claims, event)
    } catch (error) {
      throw new Refusal('policy-error', `policy threw: ${error instanceof Error ? error.message : String(error)}`)
    }
    const grant = grantOf(answer, claims)
    const session = sessionSeconds(claims.exp, Date.now(), min, max)
    const refresh = options.refreshAfterInSeconds === undefined ? session : clampSeconds(options.refreshAfterInSeconds, min, max)
    return { isAuthenticated: true, ...grant, disconnectAfterInSeconds: session, refreshAfterInSeconds: refresh }
  }

  return async (event) => {
    let token: string | undefined
    try {
      token = tokenInEvent(event, tokenKeyName)
      return await decide(event, token)
    } catch (error) {
      const reason = error instanceof Refusal ? error.reason : 'invalid-token'
      const message = redact(error instanceof Error ? error.message : String(error), [token])
      try {
        report({ reason, message, ...(event?.connectionMetadata?.id ? { connectionId: event.connectionMetadata.id } : {}) })
      } catch {
        // a throwing onError must not turn a refusal into a Lambda error
      }
      return { ...refused }
    }
  }
}
