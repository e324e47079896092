import type { IncomingMessage } from 'node:http'
import type { AuthorizerEvent } from './authorizer-types.js'

/** Credentials found on a connection: the token, its signature and the full event for the authorizer. */
export interface ConnectCredentials {
  event: AuthorizerEvent
  signature?: string
}

const SIGNATURE_KEY = 'x-amz-customauthorizer-signature'

function queryOfUsername(username: string | undefined): URLSearchParams | undefined {
  // AWS's browser SDK puts `?x-amz-customauthorizer-name=...&token=...` in the MQTT username
  if (!username) return undefined
  const at = username.indexOf('?')
  return at < 0 ? undefined : new URLSearchParams(username.slice(at + 1))
}

/** Builds IoT's authorizer event from the WebSocket upgrade (if any) and the CONNECT packet. */
export function buildAuthorizerEvent(options: {
  req: IncomingMessage | undefined
  username: string | undefined
  password: Buffer | undefined
  clientId: string
  connectionId: string
  tokenKeyName: string
  signatureVerified: boolean
}): ConnectCredentials {
  const { req, username, password, clientId, tokenKeyName } = options
  const url = req ? new URL(req.url ?? '/', 'http://localhost') : undefined
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(req?.headers ?? {})) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v
  const userQuery = queryOfUsername(username)
  const find = (key: string): string | undefined =>
    url?.searchParams.get(key) ?? headers[key.toLowerCase()] ?? userQuery?.get(key) ?? undefined
  const token = find(tokenKeyName)
  const signature = find(SIGNATURE_KEY)
  const event: AuthorizerEvent = {
    ...(token !== undefined ? { token } : {}),
    signatureVerified: options.signatureVerified,
    protocols: req ? ['mqtt', 'websockets'] : ['mqtt'],
    protocolData: {
      ...(req ? { tls: { serverName: String(req.headers.host ?? '').replace(/:\d+$/, '') } } : {}),
      ...(req ? { http: { headers, queryString: url?.search.slice(1) ?? '' } } : {}),
      mqtt: {
        ...(username !== undefined ? { username } : {}),
        ...(password !== undefined ? { password: password.toString('base64') } : {}),
        clientId,
      },
    },
    connectionMetadata: { id: options.connectionId },
  }
  return { event, ...(signature !== undefined ? { signature } : {}) }
}
