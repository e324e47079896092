import { LiveTopicError } from '../errors.js'
import { redactKey } from '../redact.js'
import { appendQuery, endpointUrl } from './endpoint.js'
import { encodeSignature, resolveFresh, uriEncode, type Fresh } from './value.js'

/** Options of {@link iotCustomAuthorizer}. */
export interface CustomAuthorizerOptions {
  /** IoT data endpoint host (`abc-ats.iot.us-east-1.amazonaws.com`), or a full `ws://`/`wss://` URL (local stand-in). */
  endpoint: string
  /** Name of the custom authorizer to invoke (`x-amz-customauthorizer-name`). */
  authorizerName: string
  /** Token passed to the authorizer; a function is called on every connect attempt. */
  token?: Fresh
  /** Query key carrying the token, as configured on the authorizer (`--token-key-name`). Default `token`. */
  tokenKeyName?: string
  /** Base64 signature of the token (authorizers with token signing); a function receives the fresh token. */
  tokenSignature?: Fresh<[token: string]>
  /** Path of the MQTT endpoint (default `/mqtt`). */
  path?: string
}

/** Checks the options shared by the URL and username forms. */
export function checkCustomAuthorizerOptions(options: { authorizerName?: string; token?: unknown; tokenSignature?: unknown; tokenKeyName?: string }): void {
  if (options.authorizerName !== undefined && (typeof options.authorizerName !== 'string' || options.authorizerName === ''))
    throw new LiveTopicError('INVALID_OPTIONS', 'authorizerName must be a non-empty string')
  if (options.tokenSignature !== undefined && options.token === undefined) throw new LiveTopicError('INVALID_OPTIONS', 'tokenSignature needs a token to sign')
  if (options.tokenKeyName !== undefined && (typeof options.tokenKeyName !== 'string' || options.tokenKeyName === ''))
    throw new LiveTopicError('INVALID_OPTIONS', 'tokenKeyName must be a non-empty string')
  // the token shows as `<tokenKeyName>=…` in anything that quotes the URL: hide it everywhere
  if (options.tokenKeyName !== undefined) redactKey(options.tokenKeyName)
}

/** The `x-amz-customauthorizer-*` pairs (already encoded), token and signature resolved fresh. */
export async function customAuthorizerPairs(
  options: Omit<CustomAuthorizerOptions, 'endpoint' | 'path' | 'authorizerName'> & { authorizerName?: string },
): Promise<string[]> {
  const pairs: string[] = []
  if (options.authorizerName) pairs.push(`x-amz-customauthorizer-name=${uriEncode(options.authorizerName)}`)
  if (options.token === undefined) return pairs
  const token = await resolveFresh(options.token)
  pairs.push(`${uriEncode(options.tokenKeyName ?? 'token')}=${uriEncode(token)}`)
  if (options.tokenSignature !== undefined) pairs.push(`x-amz-customauthorizer-signature=${encodeSignature(await resolveFresh(options.tokenSignature, token))}`)
  return pairs
}

/**
 * URL provider for AWS IoT Core's custom authentication over WebSocket:
 * `wss://<endpoint>/mqtt?x-amz-customauthorizer-name=<name>&<tokenKeyName>=<token>&x-amz-customauthorizer-signature=<sig>`.
 * Pass it as `createClient({ url })`; token and signature are fetched again on every connect, so
 * a reconnect after `disconnectAfterInSeconds` carries a fresh one.
 */
export function iotCustomAuthorizer(options: CustomAuthorizerOptions): () => Promise<string> {
  checkCustomAuthorizerOptions(options)
  if (typeof options.authorizerName !== 'string') throw new LiveTopicError('INVALID_OPTIONS', 'iotCustomAuthorizer needs an authorizerName')
  const base = endpointUrl(options.endpoint, options.path)
  return async () => appendQuery(base, await customAuthorizerPairs(options))
}
