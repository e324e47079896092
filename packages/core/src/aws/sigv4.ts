import { LiveTopicError } from '../errors.js'
import { appendQuery, endpointUrl } from './endpoint.js'
import { ALGORITHM, amzDate, canonicalQuery, canonicalRequest, credentialScope, sha256Hex, signature, stringToSign } from './sigv4-signing.js'
import { uriEncode } from './value.js'

/** AWS credentials, as every AWS SDK credential provider resolves them. */
export interface AwsCredentials {
  /** The access key id (`AKIA…`, or `ASIA…` for temporary credentials). */
  readonly accessKeyId: string
  /** The secret key that signs; never logged. */
  readonly secretAccessKey: string
  /** Present for temporary credentials (STS, Cognito identity pools). */
  readonly sessionToken?: string
}

/** Any AWS credential provider, e.g. `fromCognitoIdentityPool(...)` from `@aws-sdk/credential-providers`. */
export type AwsCredentialProvider = () => Promise<AwsCredentials>

/** Options of {@link iotSigV4}. */
export interface SigV4Options {
  /** IoT data endpoint host (`abc-ats.iot.us-east-1.amazonaws.com`), or a full `ws://`/`wss://` URL. */
  endpoint: string
  /** AWS Region of the endpoint (`us-east-1`). */
  region: string
  /** Static credentials or a provider called on every connect (it may cache and refresh). */
  credentials: AwsCredentials | AwsCredentialProvider
  /** Signing service name (default `iotdevicegateway`). */
  service?: string
  /** Path of the MQTT endpoint (default `/mqtt`). */
  path?: string
}

/**
 * URL provider for AWS IoT Core over WebSocket with SigV4: a presigned
 * `wss://<endpoint>/mqtt?X-Amz-Algorithm=…&X-Amz-Credential=…&X-Amz-Date=…&X-Amz-SignedHeaders=host&X-Amz-Signature=…`,
 * with `&X-Amz-Security-Token=…` appended after signing (IoT Core wants it unsigned).
 * Signed anew on every connect attempt, since a signed URL goes stale within minutes.
 * HMAC and SHA-256 come from WebCrypto: no extra dependency.
 */
export function iotSigV4(options: SigV4Options): () => Promise<string> {
  if (typeof options.region !== 'string' || options.region === '') throw new LiveTopicError('INVALID_OPTIONS', 'iotSigV4 needs a region (e.g. "us-east-1")')
  if (!options.credentials || (typeof options.credentials !== 'function' && typeof options.credentials !== 'object'))
    throw new LiveTopicError('INVALID_OPTIONS', 'iotSigV4 needs credentials: { accessKeyId, secretAccessKey, sessionToken? } or a credential provider')
  const url = endpointUrl(options.endpoint, options.path)
  const service = options.service ?? 'iotdevicegateway'
  const { region } = options

  return async () => {
    const credentials = typeof options.credentials === 'function' ? await options.credentials() : options.credentials
    if (!credentials?.accessKeyId || !credentials.secretAccessKey)
      throw new LiveTopicError('URL_PROVIDER_FAILED', 'the credential provider gave no accessKeyId/secretAccessKey')
    const date = amzDate(new Date())
    const scope = credentialScope(date, region, service)
    const query: [string, string][] = [
      ...url.searchParams,
      ['X-Amz-Algorithm', ALGORITHM],
      ['X-Amz-Credential', `${credentials.accessKeyId}/${scope}`],
      ['X-Amz-Date', date],
      ['X-Amz-SignedHeaders', 'host'],
    ]
    const canonical = canonicalRequest({ method: 'GET', path: url.pathname, query, headers: { host: url.host }, payloadHash: await sha256Hex('') })
    // the session token stays out of what is signed: IoT Core checks the signature without it
    const signed = await signature(credentials.secretAccessKey, scope, await stringToSign(date, scope, canonical))
    const unsigned = credentials.sessionToken ? [`X-Amz-Security-Token=${uriEncode(credentials.sessionToken)}`] : []
    return appendQuery(new URL(`${url.protocol}//${url.host}${url.pathname}`), [canonicalQuery(query), `X-Amz-Signature=${signed}`, ...unsigned])
  }
}
