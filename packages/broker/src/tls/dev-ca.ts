import { generateKeyPairSync, randomBytes } from 'node:crypto'
import type { pki } from 'node-forge'

/** node-forge, loaded on first use: it takes ~150 ms to load, and only `tls: true` needs it. */
type Forge = typeof import('node-forge')
let forgeModule: Promise<Forge> | undefined
const loadForge = (): Promise<Forge> => (forgeModule ??= import('node-forge').then((m) => m.default))

/** A server certificate with its key (PEM) and the CA certificate clients must trust (PEM, public). */
export interface TlsCredentials {
  /** Server certificate (chain), PEM. */
  cert: string
  /** Server private key, PEM. */
  key: string
  /** Certificate of the CA that signed `cert`, PEM; absent when the caller's own certificate comes without it. */
  ca?: string
}

/** Names the development server certificate is valid for: what a client on this machine dials. */
export const DEV_CERT_NAMES = { dns: ['localhost'], ip: ['127.0.0.1', '::1'] } as const

const DAY_MS = 24 * 60 * 60 * 1000

/** An RSA-2048 key pair made by Node (fast, native) and handed to forge, which only builds and signs the certificates. */
function rsaKeys(forge: Forge): { privateKey: pki.rsa.PrivateKey; publicKey: pki.rsa.PublicKey } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  })
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey),
    publicKey: forge.pki.publicKeyFromPem(publicKey),
  }
}

/**
 * A certificate serial (hex) from random bytes that is a minimal, positive DER INTEGER whatever the
 * bytes: the first byte is forced into 0x40–0x7f (126 random bits remain). A leading 0x00 byte
 * (what a `0` nibble prefix became when the first random byte was 0x00 too, 1 draw in 512) is
 * "illegal padding" to OpenSSL, which then cannot load the certificate.
 */
export function serialHex(random: Uint8Array): string {
  const bytes = Uint8Array.from(random)
  bytes[0] = (bytes[0]! & 0x3f) | 0x40
  return Buffer.from(bytes).toString('hex')
}

function certificate(
  forge: Forge,
  publicKey: pki.PublicKey,
  subject: pki.CertificateField[],
  issuer: pki.CertificateField[],
  now: number,
  extensions: object[],
): pki.Certificate {
  const cert = forge.pki.createCertificate()
  cert.publicKey = publicKey
  cert.serialNumber = serialHex(randomBytes(16))
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000)
  cert.validity.notAfter = new Date(now + 30 * DAY_MS)
  cert.setSubject(subject)
  cert.setIssuer(issuer)
  cert.setExtensions(extensions)
  return cert
}

/**
 * Makes a development CA and a server certificate it signs for localhost, 127.0.0.1 and ::1 (RSA
 * 2048, SHA-256, valid 30 days from an hour ago). The CA's private key lives only inside this call:
 * it signs the server certificate and is dropped, so no log, file or caller ever holds it and no
 * other certificate can be made with this CA. Only the CA certificate (public) is returned.
 */
export async function makeDevCertificates(now = Date.now()): Promise<Required<TlsCredentials>> {
  const forge = await loadForge()
  const caKeys = rsaKeys(forge)
  const caName = [
    { name: 'commonName', value: `livetopic broker development CA ${new Date(now).toISOString()}` },
    { name: 'organizationName', value: 'livetopic (local development only)' },
  ]
  const ca = certificate(forge, caKeys.publicKey, caName, caName, now, [
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ])
  ca.sign(caKeys.privateKey, forge.md.sha256.create())

  const serverKeys = rsaKeys(forge)
  const server = certificate(forge, serverKeys.publicKey, [{ name: 'commonName', value: 'localhost' }], caName, now, [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [...DEV_CERT_NAMES.dns.map((value) => ({ type: 2, value })), ...DEV_CERT_NAMES.ip.map((ip) => ({ type: 7, ip }))],
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ])
  server.sign(caKeys.privateKey, forge.md.sha256.create())
  return {
    cert: forge.pki.certificateToPem(server),
    key: forge.pki.privateKeyToPem(serverKeys.privateKey),
    ca: forge.pki.certificateToPem(ca),
  }
}
