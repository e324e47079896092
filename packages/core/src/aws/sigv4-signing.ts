// AWS Signature Version 4, the steps AWS documents, on WebCrypto (`crypto.subtle`: browsers and
// Node ≥ 20). Checked against AWS's published SigV4 test suite in test/aws/sigv4-vectors.test.ts.
import { uriEncode } from './value.js'

export const ALGORITHM = 'AWS4-HMAC-SHA256'

/** What is signed: the method, path, query and headers of one request. */
export interface SignedRequest {
  method: string
  /** The URL's path as `URL.pathname` gives it (percent-encoded where needed). */
  path: string
  /** Query parameters, decoded, in any order. */
  query: readonly (readonly [string, string])[]
  /** Headers to sign, by name (any case); `host` at least. */
  headers: Readonly<Record<string, string>>
  /** Hex SHA-256 of the body (`await sha256Hex('')` for none). */
  payloadHash: string
}

const encoder = /* @__PURE__ */ new TextEncoder()
const hex = (bytes: ArrayBuffer): string => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('')

/** Hex SHA-256 of a UTF-8 string. */
export async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(text)))
}

async function hmac(key: BufferSource, text: string): Promise<ArrayBuffer> {
  const cryptoKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(text))
}

/** `20150830T123600Z` */
export const amzDate = (date: Date): string =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')

/** The credential scope: `20150830/us-east-1/service/aws4_request`. */
export const credentialScope = (date: string, region: string, service: string): string => `${date.slice(0, 8)}/${region}/${service}/aws4_request`

/** Header names as signed: lower case, sorted, `;`-joined. */
export const signedHeaderNames = (headers: Readonly<Record<string, string>>): string =>
  Object.keys(headers)
    .map((name) => name.toLowerCase())
    .sort()
    .join(';')

/** The canonical query string: every key and value RFC 3986-encoded, sorted by key, then value. */
export function canonicalQuery(query: SignedRequest['query']): string {
  return query
    .map(([key, value]) => [uriEncode(key), uriEncode(value)] as const)
    .sort(([k1, v1], [k2, v2]) => (k1 < k2 ? -1 : k1 > k2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&')
}

/** The canonical request: method, path, query, headers, signed header names, payload hash. */
export function canonicalRequest(request: SignedRequest): string {
  const path = request.path
    .split('/')
    .map((segment) => uriEncode(decodeURIComponent(segment)))
    .join('/')
  const headers = Object.entries(request.headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim().replace(/\s+/g, ' ')] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value}\n`)
    .join('')
  return [request.method, path, canonicalQuery(request.query), headers, signedHeaderNames(request.headers), request.payloadHash].join('\n')
}

/** The string to sign for a canonical request at `date` (an {@link amzDate}) in `scope`. */
export async function stringToSign(date: string, scope: string, canonical: string): Promise<string> {
  return [ALGORITHM, date, scope, await sha256Hex(canonical)].join('\n')
}

/** The hex signature: HMAC chain `AWS4<secret>` → date → region → service → `aws4_request`, then the string to sign. */
export async function signature(secretAccessKey: string, scope: string, toSign: string): Promise<string> {
  let key: BufferSource = encoder.encode(`AWS4${secretAccessKey}`)
  for (const part of scope.split('/')) key = await hmac(key, part)
  return hex(await hmac(key, toSign))
}
