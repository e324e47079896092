import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify'
import { sharedJwksCache } from './jwks-cache.js'

/** Verified claims of a token: issuer, audience or client id, expiry and token use all checked. */
export interface JwtClaims {
  /** Subject: the user's id at the issuer. */
  sub?: string
  /** Issuer URL. */
  iss?: string
  /** Audience (Cognito id tokens: the app client id). */
  aud?: string | string[]
  /** Expiry, in seconds since epoch. */
  exp?: number
  /** Issued at, in seconds since epoch. */
  iat?: number
  /** Cognito's (and the dev issuer's) `id` or `access`. */
  token_use?: string
  [claim: string]: unknown
}

/** Which tokens are accepted. */
export interface JwtVerifyOptions {
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>` or any OIDC issuer URL. */
  issuer: string
  /** Expected `aud` (for Cognito: the app client id, checked on `client_id` for access tokens). */
  audience: string | string[]
  /** Expected `token_use`; with Cognito either is accepted when omitted. */
  tokenUse?: 'id' | 'access'
  /** JWKS location; default `<issuer>/.well-known/jwks.json` (OIDC's and Cognito's). */
  jwksUri?: string
}

/** Verifies a token's signature and claims; rejects on anything wrong. */
export type VerifyJwt = (token: string) => Promise<JwtClaims>

const COGNITO_ISSUER = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/([a-z0-9-]+_[A-Za-z0-9]+)$/

/** aws-jwt-verify for the issuer: its Cognito verifier for a user pool, its generic one otherwise. */
export function createJwtVerifier(options: JwtVerifyOptions): VerifyJwt {
  const cache = { jwksCache: sharedJwksCache }
  const userPoolId = COGNITO_ISSUER.exec(options.issuer)?.[1]
  if (userPoolId && options.jwksUri === undefined) {
    const verifier = CognitoJwtVerifier.create({ userPoolId, clientId: options.audience, tokenUse: options.tokenUse ?? null }, cache)
    return (token) => verifier.verify(token)
  }
  const { tokenUse } = options
  const verifier = JwtVerifier.create(
    {
      issuer: options.issuer,
      audience: options.audience,
      ...(options.jwksUri !== undefined ? { jwksUri: options.jwksUri } : {}),
      customJwtCheck: ({ payload }) => {
        if (tokenUse !== undefined && payload.token_use !== tokenUse) throw new Error(`token_use is not "${tokenUse}"`)
      },
    },
    cache,
  )
  return (token) => verifier.verify(token)
}
