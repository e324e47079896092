import type { IncomingMessage, ServerResponse } from 'node:http'
import { readBody } from '../http/read-body.js'
import type { HttpRoute } from '../http/router.js'
import { DevNameError, type DevIssuer } from './dev-issuer.js'

/** Path prefix of the development identity provider; the issuer is `<httpUrl>/dev-auth`. */
export const DEV_AUTH_PATH = '/dev-auth'

const MAX_BODY_BYTES = 4096

// The page runs on another loopback origin (Vite's port): the request guard has already refused
// every Origin it does not allow, so the one that got here may read the answer.
function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin
  return origin ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {}
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...corsHeaders(req) }).end(JSON.stringify(body))
}

const preflight = (path: RegExp, methods: string): HttpRoute => ({
  method: 'OPTIONS',
  path,
  public: true,
  handle(req, res) {
    res
      .writeHead(204, {
        ...corsHeaders(req),
        'access-control-allow-methods': methods,
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': '600',
      })
      .end()
  },
})

async function issueToken(issuer: DevIssuer, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req, MAX_BODY_BYTES)
  let parsed: unknown
  try {
    parsed = body === undefined ? undefined : JSON.parse(body.toString('utf8'))
  } catch {
    parsed = undefined
  }
  if (typeof parsed !== 'object' || parsed === null) return send(req, res, 400, { error: 'InvalidRequest', message: 'expected a JSON body { "name": string }' })
  try {
    send(req, res, 200, await issuer.issue((parsed as { name?: unknown }).name))
  } catch (error) {
    if (!(error instanceof DevNameError)) throw error
    send(req, res, 400, { error: 'InvalidName', message: error.message })
  }
}

/**
 * The development identity provider's routes: OpenID discovery, the JWKS and a token endpoint
 * that signs an ID token for any name (no password: it stands in for a sign-in page, locally).
 */
export function devIdentityRoutes(issuer: DevIssuer): HttpRoute[] {
  const discovery = /^\/dev-auth\/\.well-known\/openid-configuration$/
  const jwks = /^\/dev-auth\/\.well-known\/jwks\.json$/
  const token = /^\/dev-auth\/token$/
  return [
    {
      method: 'GET',
      path: discovery,
      public: true,
      handle: (req, res) =>
        send(req, res, 200, {
          issuer: issuer.issuer(),
          jwks_uri: `${issuer.issuer()}/.well-known/jwks.json`,
          token_endpoint: `${issuer.issuer()}/token`,
          response_types_supported: ['id_token'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
        }),
    },
    { method: 'GET', path: jwks, public: true, handle: (req, res) => send(req, res, 200, issuer.jwks) },
    { method: 'POST', path: token, public: true, handle: (req, res) => issueToken(issuer, req, res) },
    preflight(discovery, 'GET'),
    preflight(jwks, 'GET'),
    preflight(token, 'POST'),
  ]
}
