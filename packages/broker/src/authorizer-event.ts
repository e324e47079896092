import type { IncomingHttpHeaders } from 'node:http'
import type { AuthorizerEvent } from './authorizer-types.js'

/** Credentials found on a connection: the token, its signature and the full event for the authorizer. */
export interface ConnectCredentials {
  event: AuthorizerEvent
  signature?: string
}

/** The WebSocket upgrade request as the event needs it: its URL (path + query) and headers. */
export interface UpgradeRequest {
  url: string
  headers: IncomingHttpHeaders
}

const SIGNATURE_KEY = 'x-amz-customauthorizer-signature'

function queryOfUsername(username: string | undefined): URLSearchParams | undefined {
  // AWS's browser SDK puts `?x-amz-customauthorizer-name=...&token=...` in the MQTT username
  if (!username) return undefined
  const at = username.indexOf('?')
  return at < 0 ? undefined : new URLSearchParams(username.slice(at + 1))
}

/**
 * Builds IoT's authorizer event (custom-auth-lambda) from the WebSocket upgrade (if any) and the
 * CONNECT packet. MQTT over WSS on IoT is TLS + HTTP + MQTT, so `protocols` is
 * `['tls', 'http', 'mqtt']`; plain MQTT on IoT is always over TLS: `['tls', 'mqtt']` (no SNI here).
 */
export function buildAuthorizerEvent(options: {
  http: UpgradeRequest | undefined
  username: string | undefined
  password: Buffer | undefined
  clientId: string
  connectionId: string
  tokenKeyName: string
  signatureVerified: boolean
}): ConnectCredentials {
  const { http, username, password, clientId, tokenKeyName } = options
  const url = http ? new URL(http.url, 'http://localhost') : undefined
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(http?.headers ?? {})) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v
  const userQuery = queryOfUsername(username)
  const find = (key: string): string | undefined => url?.searchParams.get(key) ?? headers[key.toLowerCase()] ?? userQuery?.get(key) ?? undefined
  const token = find(tokenKeyName)
  const signature = find(SIGNATURE_KEY)
  const event: AuthorizerEvent = {
    ...(token !== undefined ? { token } : {}),
    signatureVerified: options.signatureVerified,
    protocols: http ? ['tls', 'http', 'mqtt'] : ['tls', 'mqtt'],
    protocolData: {
      ...(http ? { tls: { serverName: String(headers.host ?? '').replace(/:\d+$/, '') } } : {}),
      // IoT documents the query string with its leading `?` ("?#{name}=#{value}")
      ...(http ? { http: { headers, queryString: url?.search ?? '' } } : {}),
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
