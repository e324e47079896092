import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/**
 * Credentials the stand-in gives its Lambda instances. The AWS SDK signs each Data Plane request
 * with them (SigV4); the broker does not verify signatures, so when `httpToken` guards the Data
 * Plane API it admits a request whose SigV4 credential names this broker's random access key id:
 * 128 random bits known only to this process and its workers, compared in constant time, like the
 * bearer token itself. Nobody else's access is widened.
 */
export class LambdaCredentials {
  /** `AWS_ACCESS_KEY_ID` of the instances. */
  readonly accessKeyId = `LTLOCAL${randomBytes(16).toString('hex').toUpperCase()}`
  readonly #expected = Buffer.from(this.accessKeyId)

  /** Environment variables of an instance: region and these credentials (the secret is unused). */
  environment(region: string): Record<string, string> {
    return {
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: this.accessKeyId,
      AWS_SECRET_ACCESS_KEY: 'livetopic-stand-in',
      // the SDK warns once per instance on Node 20; with a fresh instance per event that is once per message
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    }
  }

  /** True when the request is signed with this runner's access key id. */
  signs(req: IncomingMessage): boolean {
    const match = /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)\//.exec(req.headers.authorization ?? '')
    if (!match) return false
    const got = Buffer.from(match[1]!)
    return got.length === this.#expected.length && timingSafeEqual(got, this.#expected)
  }
}
