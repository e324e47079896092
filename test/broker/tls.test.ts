// Issue #25 item 8: MQTT over TLS and WSS on request, with a development CA the stand-in makes.
import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto'
import { request } from 'node:https'
import { connect as tlsConnect } from 'node:tls'
import { startBroker, TlsOptionsError, type RunningBroker } from '@livetopic/broker'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import forge from 'node-forge'
import { makeDevCertificates, serialHex } from '../../packages/broker/src/tls/dev-ca.js'
import { useBroker } from '../helpers/broker.js'
import { eventually } from '../helpers/wait.js'
import { connect, inbox } from './support.js'

const tlsOf = (broker: RunningBroker) => broker.tls!

/** Connects, subscribes, publishes to itself and returns what came back. */
async function roundTrip(url: string, options: Parameters<typeof connect>[1]): Promise<string> {
  const client = await connect(url, options)
  const seen = inbox(client)
  await client.subscribeAsync('rooms/tls', { qos: 1 })
  await client.publishAsync('rooms/tls', `via ${url.split(':')[0]}`, { qos: 1 })
  await eventually(() => seen.length > 0, 15_000, 'the message back')
  return seen[0]!.text
}

/** The TLS error a verifying client gets (or 'connected'). */
function handshake(port: number, ca: string | undefined, servername = 'localhost'): Promise<string> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername, ...(ca ? { ca } : {}) }, () => {
      socket.end()
      resolve('connected')
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
  })
}

/** Status of a WSS upgrade with the given headers: 101 when accepted. */
function wssUpgrade(broker: RunningBroker, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(tlsOf(broker).wssUrl.replace('127.0.0.1', 'localhost'), 'mqtt', { headers, ca: tlsOf(broker).caCertificate! })
    socket.once('open', () => {
      socket.close()
      resolve(101)
    })
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode!)
      socket.terminate()
    })
    socket.once('error', reject)
  })
}

/** A self-signed certificate with this serial, as Node (OpenSSL) reads it; throws when OpenSSL cannot. */
function withSerial(serial: string): X509Certificate {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  })
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey)
  cert.serialNumber = serial
  cert.validity.notBefore = new Date(Date.now() - 60_000)
  cert.validity.notAfter = new Date(Date.now() + 60_000)
  cert.setSubject([{ name: 'commonName', value: 'serial' }])
  cert.setIssuer([{ name: 'commonName', value: 'serial' }])
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create())
  return new X509Certificate(forge.pki.certificateToPem(cert))
}

describe('the development CA', () => {
  it('makes serials OpenSSL reads whatever the random bytes (a 0x00 0x00 start once made it refuse a certificate)', () => {
    const worst = [new Uint8Array(16), Uint8Array.from({ length: 16 }, (_, i) => (i === 1 ? 0x7f : 0)), new Uint8Array(16).fill(0xff)]
    // the old serial, a `0` nibble before the random hex: illegal padding when the bytes start 00 00
    expect(() => withSerial(`0${Buffer.from(worst[0]!).toString('hex')}`)).toThrow(/padding/)
    for (const bytes of [...worst, new Uint8Array(16).fill(0x80)]) {
      const serial = serialHex(bytes)
      expect(serial).toMatch(/^[4-7][0-9a-f]{31}$/)
      expect(withSerial(serial).serialNumber.toLowerCase()).toBe(serial)
    }
  })

  it('signs a server certificate for localhost, 127.0.0.1 and ::1, and hands out no CA key', async () => {
    const made = await makeDevCertificates()
    const ca = new X509Certificate(made.ca)
    const server = new X509Certificate(made.cert)
    expect(ca.ca).toBe(true)
    expect(server.ca).toBe(false)
    expect(server.checkIssued(ca) && server.verify(ca.publicKey)).toBe(true)
    expect(server.checkHost('localhost')).toBe('localhost')
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1')
    expect(server.checkIP('::1')).toBe('::1')
    expect(server.checkHost('example.com')).toBeUndefined()
    // the only private key returned is the server's: it matches the server certificate, not the CA
    const key = createPrivateKey(made.key)
    expect(server.checkPrivateKey(key)).toBe(true)
    expect(ca.checkPrivateKey(key)).toBe(false)
    expect(Object.keys(made).sort()).toEqual(['ca', 'cert', 'key'])
    expect(made.ca).not.toMatch(/PRIVATE KEY/)
    // a new CA each time: one run's certificate is not trusted by another run's CA
    const other = new X509Certificate((await makeDevCertificates()).ca)
    expect(server.checkIssued(other)).toBe(false)
    expect(createPublicKey(made.key).export({ format: 'pem', type: 'spki' })).toBe(server.publicKey.export({ format: 'pem', type: 'spki' }))
  })
})

describe('startBroker({ tls })', () => {
  it('serves MQTT over TLS and over WSS that a client trusting the dev CA uses; logs no key', async () => {
    const lines: string[] = []
    const broker = await useBroker({ tls: true, logger: { info: (m) => lines.push(m), warn: (m) => lines.push(m) } })
    const { mqttUrl, wssUrl, caCertificate } = tlsOf(broker)
    expect(mqttUrl).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/)
    expect(wssUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/mqtt$/)
    expect(await roundTrip(mqttUrl, { ca: caCertificate!, clientId: 'over-tls' })).toBe('via mqtts')
    expect(await roundTrip(wssUrl.replace('127.0.0.1', 'localhost'), { ca: caCertificate!, clientId: 'over-wss' })).toBe('via wss')
    // how to trust it is said; no private key is
    expect(lines.join('\n')).toMatch(/NODE_EXTRA_CA_CERTS=.*with_certificate_authority/s)
    expect(lines.join('\n')).not.toMatch(/PRIVATE KEY|BEGIN/)
    expect(JSON.stringify(broker.tls)).not.toMatch(/PRIVATE KEY/)
    // close() frees the TLS ports too
    await broker.close()
    expect(await handshake(tlsOf(broker).mqttPort, caCertificate)).toBe('ECONNREFUSED')
    expect(await handshake(tlsOf(broker).wssPort, caCertificate)).toBe('ECONNREFUSED')
  })

  it("takes MQTT on the WSS port when the client asks ALPN 'mqtt' or 'x-amzn-mqtt-ca', as IoT's 443 does", async () => {
    const broker = await useBroker({ tls: true, logger: 'silent' })
    const { wssPort, caCertificate } = tlsOf(broker)
    for (const alpn of ['mqtt', 'x-amzn-mqtt-ca']) {
      const text = await roundTrip(`mqtts://localhost:${wssPort}`, { ca: caCertificate!, ALPNProtocols: [alpn], clientId: `alpn-${alpn}` })
      expect(text).toBe('via mqtts')
    }
  })

  it('checks Host and Origin on the WSS port as on the plain one; other HTTP there is 404', async () => {
    const broker = await useBroker({ tls: true, logger: 'silent' })
    const { wssPort, caCertificate } = tlsOf(broker)
    expect(await wssUpgrade(broker, {})).toBe(101)
    // the AWS CRT names the host without a port (IoT's WSS is on 443)
    expect(await wssUpgrade(broker, { Host: 'localhost' })).toBe(101)
    expect(await wssUpgrade(broker, { Host: `evil.test:${wssPort}` })).toBe(403)
    expect(await wssUpgrade(broker, { Host: 'evil.test' })).toBe(403)
    expect(await wssUpgrade(broker, { Host: `localhost:${broker.port}` })).toBe(403)
    // no authorizer: a foreign page may not use it
    expect(await wssUpgrade(broker, { Origin: 'https://evil.test' })).toBe(403)
    expect(await wssUpgrade(broker, { Origin: `https://localhost:${wssPort}` })).toBe(101)
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', servername: 'localhost', port: wssPort, path: '/topics/x', ca: caCertificate! }, (res) => {
        res.resume()
        resolve(res.statusCode!)
      })
        .once('error', reject)
        .end()
    })
    expect(status).toBe(404)
  })

  it('is refused by a verifying client when the certificate is not signed by the CA it trusts', async () => {
    const trusted = await useBroker({ tls: true, logger: 'silent' })
    const other = await useBroker({ tls: true, logger: 'silent' })
    const ca = tlsOf(trusted).caCertificate!
    for (const port of [tlsOf(other).mqttPort, tlsOf(other).wssPort]) {
      expect(await handshake(port, ca)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE')
      expect(await handshake(port, undefined)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE')
      expect(await handshake(port, tlsOf(other).caCertificate)).toBe('connected')
    }
    await expect(connect(tlsOf(other).mqttUrl, { ca, clientId: 'tls-refused' })).rejects.toThrow(/unable to verify/)
    await expect(connect(tlsOf(other).wssUrl.replace('127.0.0.1', 'localhost'), { ca, clientId: 'wss-refused' })).rejects.toThrow(/unable to verify/)
    // and a name the certificate is not for
    expect(await handshake(tlsOf(trusted).mqttPort, ca, 'example.com')).toBe('ERR_TLS_CERT_ALTNAME_INVALID')
  })

  it('serves a certificate of your own (cert, key, ca) and writes the CA certificate to caFile', async () => {
    const own = await makeDevCertificates()
    const { mkdtemp, readFile, rm } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const dir = await mkdtemp(`${tmpdir()}/livetopic-tls-`)
    try {
      const broker = await useBroker({ tls: { cert: own.cert, key: own.key, ca: own.ca, caFile: `${dir}/ca.pem` }, logger: 'silent' })
      expect(tlsOf(broker).devCa).toBe(false)
      expect(await readFile(`${dir}/ca.pem`, 'utf8')).toBe(own.ca)
      expect(await roundTrip(tlsOf(broker).mqttUrl, { ca: own.ca, clientId: 'own-cert' })).toBe('via mqtts')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('frees every port it took when a TLS port is in use, and reports that', async () => {
    const { createServer } = await import('node:net')
    const hold = (port = 0) =>
      new Promise<import('node:net').Server>((resolve) => {
        const server = createServer().listen(port, '127.0.0.1', () => resolve(server))
      })
    const portOf = (server: import('node:net').Server) => (server.address() as import('node:net').AddressInfo).port
    const taken = await hold()
    const probe = await hold()
    const httpPort = portOf(probe)
    await new Promise((resolve) => probe.close(resolve))
    try {
      await expect(startBroker({ port: httpPort, tls: { mqttPort: portOf(taken) }, logger: 'silent' })).rejects.toThrow(/EADDRINUSE/)
      // the HTTP port it had bound is free again
      const again = await useBroker({ port: httpPort, logger: 'silent' })
      expect(again.port).toBe(httpPort)
    } finally {
      await new Promise((resolve) => taken.close(resolve))
    }
  })

  it('refuses TLS options that cannot work, with a typed error that quotes no key, before listening', async () => {
    const own = await makeDevCertificates()
    await expect(startBroker({ tls: { cert: own.cert }, logger: 'silent' })).rejects.toThrow(TlsOptionsError)
    await expect(startBroker({ tls: { ca: own.ca }, logger: 'silent' })).rejects.toThrow(/tls.ca names the CA/)
    await expect(startBroker({ tls: { mqttPort: 70000 }, logger: 'silent' })).rejects.toThrow(/tls.mqttPort must be a port/)
    await expect(startBroker({ tls: { cert: own.cert, key: own.cert }, logger: 'silent' })).rejects.toThrow(/cannot be loaded/)
    const mismatched = startBroker({ tls: { cert: own.cert, key: (await makeDevCertificates()).key }, logger: 'silent' })
    const error = (await mismatched.catch((e: unknown) => e)) as Error
    expect(error).toBeInstanceOf(TlsOptionsError)
    expect(error.message).toMatch(/cannot be loaded/)
    expect(error.message).not.toMatch(/PRIVATE|BEGIN|MII/)
  })
})
