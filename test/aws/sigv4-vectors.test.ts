// AWS's published SigV4 test suite: our signing core (the one iotSigV4 uses) must reproduce each
// case's canonical request, string to sign and signature. Fixture: test/aws/sigv4-test-suite.json.
import { describe, expect, it } from 'vitest'
import { canonicalRequest, credentialScope, sha256Hex, signature, signedHeaderNames, stringToSign } from '../../packages/core/src/aws/sigv4-signing.js'
import fixture from './sigv4-test-suite.json'

interface Vector {
  name: string
  method: string
  path: string
  query: [string, string][]
  headers: Record<string, string>
  body: string
  signature: string
  creq?: string
  sts?: string
}
// JSON gives each case its own literal shape: read them as the one shape they share
const suite = fixture as unknown as Omit<typeof fixture, 'cases'> & { cases: Vector[] }

describe('SigV4 signing core against AWS test suite', () => {
  const scope = credentialScope(suite.date, suite.region, suite.service)

  it.each(suite.cases)('$name', async (vector) => {
    const request = {
      method: vector.method,
      // as a URL gives the path (get-utf8's `/ሴ` arrives as `/%E1%88%B4`)
      path: new URL(vector.path, 'https://example.amazonaws.com').pathname,
      query: vector.query,
      headers: vector.headers,
      payloadHash: await sha256Hex(vector.body),
    }
    const canonical = canonicalRequest(request)
    if (vector.creq) expect(canonical).toBe(vector.creq)
    const toSign = await stringToSign(suite.date, scope, canonical)
    if (vector.sts) expect(toSign).toBe(vector.sts)
    const authorization = `AWS4-HMAC-SHA256 Credential=${suite.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaderNames(request.headers)}, Signature=${await signature(suite.credentials.secretAccessKey, scope, toSign)}`
    expect(authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${signedHeaderNames(vector.headers)}, Signature=${vector.signature}`,
    )
  })
})
