import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { checkTokenSigningKeys, startBroker } from '@livetopic/broker'

const rsa = (bits: number): string => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type: 'spki', format: 'pem' }).toString()

describe('token-signing keys', () => {
  it('refuses keys under 2,048 bits, non-RSA keys and non-PEM text, as IoT does when the authorizer is created', async () => {
    expect(() => checkTokenSigningKeys([rsa(2048), rsa(3072)])).not.toThrow()
    expect(() => checkTokenSigningKeys([rsa(2048), rsa(1024)])).toThrow('token signing key 2 has 1024 bits: IoT requires at least 2048')
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString()
    expect(() => checkTokenSigningKeys([ec])).toThrow('token signing key 1 is ec, not an RSA key')
    expect(() => checkTokenSigningKeys(['not a key'])).toThrow('token signing key 1 is not a PEM public key')
    await expect(
      startBroker({
        logger: 'silent',
        authorizer: () => ({ isAuthenticated: false, principalId: 'x', policyDocuments: [] }),
        tokenSigning: { publicKeys: [rsa(1024)] },
      }),
    ).rejects.toThrow(/1024 bits/)
  })
})
