import { SimpleFetcher, type Fetcher } from 'aws-jwt-verify/https'
import { SimpleJwksCache } from 'aws-jwt-verify/jwk'

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i
const FETCH_TIMEOUT_MS = 3000

/**
 * HTTPS as aws-jwt-verify fetches it; plain HTTP only from a loopback address (a development
 * issuer on this machine, e.g. the stand-in's `/dev-auth`), never across a network.
 */
class LoopbackAwareFetcher implements Fetcher {
  #https = new SimpleFetcher()

  async fetch(uri: string): Promise<ArrayBuffer> {
    const url = new URL(uri)
    if (url.protocol === 'https:') return this.#https.fetch(uri)
    if (url.protocol !== 'http:' || !LOOPBACK.test(url.hostname)) throw new Error(`JWKS must be fetched over https (got ${url.origin})`)
    const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
    if (response.status !== 200) throw new Error(`JWKS answered ${response.status}, expected 200`)
    return response.arrayBuffer()
  }
}

/**
 * Every authorizer's JWKS, in module scope: a warm Lambda verifies without a fetch. A cache, never
 * state: losing it (a cold start) costs one fetch; an unknown `kid` refetches (key rotation), at
 * most once per 10 s per JWKS (aws-jwt-verify's penalty box).
 */
export const sharedJwksCache = new SimpleJwksCache({ fetcher: new LoopbackAwareFetcher() })
