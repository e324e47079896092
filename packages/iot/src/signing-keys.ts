/**
 * Token-signing public key checks for custom authorizers (Node: `node:crypto`).
 * @module @livetopic/iot/signing-keys
 */
import { createPublicKey } from 'node:crypto'

/** IoT's minimum for a token-signing public key (config-custom-auth: "Its minimum length is 2,048 bits"). */
export const MIN_SIGNING_KEY_BITS = 2048

/**
 * Checks token-signing public keys as IoT does when the authorizer is created: PEM, RSA, at least
 * 2,048 bits. Throws an Error naming the key by position (never echoing it).
 */
export function checkTokenSigningKeys(publicKeys: readonly string[]): void {
  if (!Array.isArray(publicKeys) || publicKeys.length === 0) throw new Error('token signing needs at least one public key')
  publicKeys.forEach((pem: string, i) => {
    let bits: number | undefined
    let type: string | undefined
    try {
      const key = createPublicKey(pem)
      type = key.asymmetricKeyType
      bits = key.asymmetricKeyDetails?.modulusLength
    } catch {
      throw new Error(`token signing key ${i + 1} is not a PEM public key`)
    }
    if (type !== 'rsa') throw new Error(`token signing key ${i + 1} is ${type ?? 'not'}, not an RSA key: IoT verifies RSA SHA-256 signatures`)
    if (bits === undefined || bits < MIN_SIGNING_KEY_BITS)
      throw new Error(`token signing key ${i + 1} has ${bits ?? 'unknown'} bits: IoT requires at least ${MIN_SIGNING_KEY_BITS}`)
  })
}
