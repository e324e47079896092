import { checkCustomAuthorizerOptions, customAuthorizerPairs } from './custom-authorizer.js'
import type { Fresh } from './value.js'

/** Options of {@link iotCustomAuthorizerUsername}. */
export interface CustomAuthorizerUsernameOptions {
  /** Name of the custom authorizer (omit to use the endpoint's default authorizer). */
  authorizerName?: string
  /** Plain username passed to the authorizer before the `?` (may carry its own `?key=value` pairs). */
  username?: string
  /** Token passed to the authorizer; a function is called on every connect attempt. */
  token?: Fresh
  /** Query key carrying the token (default `token`). */
  tokenKeyName?: string
  /** Base64 signature of the token; a function receives the fresh token. */
  tokenSignature?: Fresh<[token: string]>
}

/**
 * MQTT username form of custom authentication, as AWS's v2 browser SDK sends it:
 * `username?x-amz-customauthorizer-name=<name>&<tokenKeyName>=<token>&x-amz-customauthorizer-signature=<sig>`.
 * Use it as `createClient({ username: iotCustomAuthorizerUsername(...) })` with a plain
 * `wss://<endpoint>/mqtt` URL; the MQTT password (if any) reaches the authorizer base64-encoded.
 */
export function iotCustomAuthorizerUsername(options: CustomAuthorizerUsernameOptions): () => Promise<string> {
  checkCustomAuthorizerOptions(options)
  return async () => {
    const pairs = await customAuthorizerPairs(options)
    const username = options.username ?? ''
    if (pairs.length === 0) return username
    return `${username}${username.includes('?') ? '&' : '?'}${pairs.join('&')}`
  }
}
