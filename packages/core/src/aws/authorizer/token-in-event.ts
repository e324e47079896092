import type { IotAuthorizerEvent } from './iot-authorizer-types.js'

// A JWT: three base64url parts (the signature may be empty only for `alg: none`, refused later)
const LOOKS_LIKE_JWT = /^[\w-]+\.[\w-]+\.[\w-]*$/

function fromQuery(query: string | undefined, key: string): string | undefined {
  if (!query) return undefined
  const at = query.indexOf('?')
  return new URLSearchParams(at < 0 ? query : query.slice(at + 1)).get(key) ?? undefined
}

function fromPassword(password: string | undefined): string | undefined {
  if (!password) return undefined
  const text = new TextDecoder().decode(Uint8Array.from(atob(password), (c) => c.charCodeAt(0)))
  return LOOKS_LIKE_JWT.test(text) ? text : undefined
}

/**
 * The caller's token, wherever IoT delivers it: `event.token`; else the `tokenKeyName` pair of
 * the MQTT username's query (AWS's browser SDK), of the WebSocket query string or of an upgrade
 * header; else an MQTT password that is a JWT (IoT passes it base64-encoded).
 */
export function tokenInEvent(event: IotAuthorizerEvent, tokenKeyName: string): string | undefined {
  const { mqtt, http } = event.protocolData ?? {}
  return (
    event.token ||
    fromQuery(mqtt?.username, tokenKeyName) ||
    fromQuery(http?.queryString, tokenKeyName) ||
    http?.headers?.[tokenKeyName.toLowerCase()] ||
    fromPassword(mqtt?.password)
  )
}
