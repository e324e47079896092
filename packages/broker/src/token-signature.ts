import { createVerify } from 'node:crypto'

/** Token signing as IoT does it before invoking the authorizer: RSA SHA-256 over the token, base64 signature. */
export interface TokenSigning {
  /** Name of the query parameter / header / username-query key carrying the token (IoT's `tokenKeyName`). */
  tokenKeyName: string
  /** PEM public keys (IoT allows two, for rotation); the signature must verify with one of them. */
  publicKeys: string[]
}

/** True when `signature` (base64) is a valid RSA-SHA256 signature of `token` by one of the keys. */
export function verifyTokenSignature(token: string, signature: string, publicKeys: string[]): boolean {
  return publicKeys.some((key) => {
    try {
      return createVerify('RSA-SHA256').update(token).verify(key, signature, 'base64')
    } catch {
      return false
    }
  })
}
