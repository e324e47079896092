import { LiveTopicError } from '../errors.js'
import { appendQuery, endpointUrl } from './endpoint.js'
import { uriEncode } from './value.js'

/** AWS credentials, as every AWS SDK credential provider resolves them. */
export interface AwsCredentials {
  readonly accessKeyId: string
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

const ALGORITHM = 'AWS4-HMAC-SHA256'

// Loaded on first use only: the SigV4 packages are optional peers, so importing
// `@livetopic/core/aws` must work (and stay small) without them.
let crypto: Promise<[typeof import('@smithy/signature-v4'), typeof import('@aws-crypto/sha256-js')]> | undefined
function loadCrypto(): NonNullable<typeof crypto> {
  crypto ??= Promise.all([import('@smithy/signature-v4'), import('@aws-crypto/sha256-js')]).catch((cause: unknown) => {
    crypto = undefined
    throw new LiveTopicError('URL_PROVIDER_FAILED', 'iotSigV4 needs the optional peer dependencies @smithy/signature-v4 and @aws-crypto/sha256-js', { cause })
  })
  return crypto
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

/** `20261125T220314Z` */
const amzDate = (date: Date): string => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')

/**
 * URL provider for AWS IoT Core over WebSocket with SigV4: a presigned
 * `wss://<endpoint>/mqtt?X-Amz-Algorithm=…&X-Amz-Credential=…&X-Amz-Date=…&X-Amz-SignedHeaders=host&X-Amz-Signature=…`,
 * with `&X-Amz-Security-Token=…` appended after signing (IoT Core wants it unsigned).
 * Signed anew on every connect attempt, since a signed URL goes stale within minutes.
 */
export function iotSigV4(options: SigV4Options): () => Promise<string> {
  if (typeof options.region !== 'string' || options.region === '')
    throw new LiveTopicError('INVALID_OPTIONS', 'iotSigV4 needs a region (e.g. "us-east-1")')
  if (!options.credentials || (typeof options.credentials !== 'function' && typeof options.credentials !== 'object'))
    throw new LiveTopicError('INVALID_OPTIONS', 'iotSigV4 needs credentials: { accessKeyId, secretAccessKey, sessionToken? } or a credential provider')
  const url = endpointUrl(options.endpoint, options.path)
  const service = options.service ?? 'iotdevicegateway'
  const { region } = options

  return async () => {
    const [{ SignatureV4 }, { Sha256 }] = await loadCrypto()
    const credentials = typeof options.credentials === 'function' ? await options.credentials() : options.credentials
    if (!credentials?.accessKeyId || !credentials.secretAccessKey)
      throw new LiveTopicError('URL_PROVIDER_FAILED', 'the credential provider gave no accessKeyId/secretAccessKey')
    const now = new Date()
    const date = amzDate(now)
    const scope = `${date.slice(0, 8)}/${region}/${service}/aws4_request`
    const query = [
      ...url.searchParams,
      ['X-Amz-Algorithm', ALGORITHM],
      ['X-Amz-Credential', `${credentials.accessKeyId}/${scope}`],
      ['X-Amz-Date', date],
      ['X-Amz-SignedHeaders', 'host'],
    ]
      .map(([key, value]) => `${uriEncode(key ?? '')}=${uriEncode(value ?? '')}`)
      .sort()
    const path = url.pathname.split('/').map((segment) => uriEncode(decodeURIComponent(segment))).join('/')
    const canonicalRequest = ['GET', path, query.join('&'), `host:${url.host}`, '', 'host', hex(await sha256(Sha256, ''))].join('\n')
    const stringToSign = [ALGORITHM, date, scope, hex(await sha256(Sha256, canonicalRequest))].join('\n')
    // the session token stays out of the signer: IoT Core checks the signature without it
    const signer = new SignatureV4({
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      region,
      service,
      sha256: Sha256,
    })
    const signature = await signer.sign(stringToSign, { signingDate: now })
    const unsigned = credentials.sessionToken ? [`X-Amz-Security-Token=${uriEncode(credentials.sessionToken)}`] : []
    return appendQuery(new URL(`${url.protocol}//${url.host}${url.pathname}`), [...query, `X-Amz-Signature=${signature}`, ...unsigned])
  }
}

async function sha256(Hash: typeof import('@aws-crypto/sha256-js').Sha256, text: string): Promise<Uint8Array> {
  const hash = new Hash()
  hash.update(text)
  return hash.digest()
}
