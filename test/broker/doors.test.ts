// Issue #10, part 1 (a, b): the attacks of the probe, performed the same way.
import { generateKeyPairSync, createSign } from 'node:crypto'
import { request } from 'node:http'
import { startBroker, type BrokerLogger, type RunningBroker } from '@livetopic/broker'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { useBroker } from '../helpers/broker.js'
import { sleep } from '../helpers/wait.js'
import { allowAll, connect, inbox, refusal } from './support.js'

const denyAll = () => ({ isAuthenticated: false, principalId: 'nobody', policyDocuments: [] })

/** An HTTP request with any headers (fetch will not forge Host). */
function send(
  broker: RunningBroker,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: broker.port, path, method: init.method ?? 'GET', headers: init.headers ?? {} }, (res) => {
      let text = ''
      res.on('data', (d: Buffer) => (text += d.toString()))
      res.on('end', () => resolve({ status: res.statusCode!, text, headers: res.headers }))
    })
    req.on('error', reject)
    req.end(init.body)
  })
}

/** Status of a WebSocket upgrade with the given headers: 101 when accepted. */
function upgradeStatus(broker: RunningBroker, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(broker.url, 'mqtt', { headers })
    socket.once('open', () => {
      socket.close()
      resolve(101)
    })
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode!)
      socket.terminate()
    })
    socket.once('error', () => {})
  })
}

/** The dashboard key as the page gets it: from the HTML. */
async function keyFromPage(broker: RunningBroker): Promise<string> {
  const html = (await send(broker, '/', { headers: { host: `127.0.0.1:${broker.port}` } })).text
  const json = /<script id="livetopic-dashboard-config" type="application\/json">(.*?)<\/script>/.exec(html)![1]!
  return (JSON.parse(json) as { dashboard: { password: string } }).dashboard.password
}

const own = (broker: RunningBroker): string => `http://127.0.0.1:${broker.port}`
const withOrigin = (origin: string) => ({ wsOptions: { headers: { Origin: origin } } })

describe('Host header (DNS rebinding)', () => {
  it('refuses a foreign Host on every route, HTTP and WebSocket', async () => {
    const broker = await useBroker({ logger: 'silent', authorizer: denyAll })
    const forged = { host: `rebind.attacker.example:${broker.port}` }
    for (const path of ['/', '/api/dashboard', '/dashboard/dashboard.js', '/retainedMessage', '/nowhere']) {
      const res = await send(broker, path, { headers: forged })
      expect([path, res.status]).toEqual([path, 403])
      expect(res.text).not.toMatch(/password|livetopic-dashboard-config/)
    }
    expect((await send(broker, '/topics/a', { method: 'POST', headers: forged, body: 'x' })).status).toBe(403)
    expect(await upgradeStatus(broker, forged)).toBe(403)
    // the same port under another loopback name, or a wrong port, is not this broker either
    expect((await send(broker, '/', { headers: { host: `127.0.0.1:${broker.port + 1}` } })).status).toBe(403)
    expect((await send(broker, '/', { headers: { host: `127.0.0.1:${broker.port}@evil.example` } })).status).toBe(403)
  })

  it('answers the loopback names with the right port, and allowedHosts', async () => {
    const broker = await useBroker({ logger: 'silent', allowedHosts: ['dev.example.test', 'proxy.example.test:443'] })
    for (const host of [
      `127.0.0.1:${broker.port}`,
      `localhost:${broker.port}`,
      `LocalHost:${broker.port}`,
      `[::1]:${broker.port}`,
      `dev.example.test:${broker.port}`,
      'proxy.example.test:443',
    ]) {
      expect([host, (await send(broker, '/', { headers: { host } })).status]).toEqual([host, 200])
    }
    expect(await upgradeStatus(broker, { host: `localhost:${broker.port}` })).toBe(101)
  })
})

describe('dashboard key', () => {
  it('with httpToken set, neither the page nor GET /api/dashboard gives the key without the token, forged Origin or not', async () => {
    const broker = await useBroker({ logger: 'silent', authorizer: denyAll, httpToken: 'local-http-token' })
    const host = `127.0.0.1:${broker.port}`
    for (const headers of [{ host }, { host, origin: own(broker) }] as Record<string, string>[]) {
      const page = await send(broker, '/', { headers })
      expect(page.status).toBe(401)
      expect(page.text).not.toContain('livetopic-dashboard-config')
      expect((await send(broker, '/api/dashboard', { headers })).status).toBe(401)
    }
    const login = await send(broker, '/?token=local-http-token', { headers: { host } })
    const cookie = String(login.headers['set-cookie']).split(';')[0]!
    const page = await send(broker, '/', { headers: { host, cookie } })
    const key = (
      JSON.parse(/<script id="livetopic-dashboard-config" type="application\/json">(.*?)<\/script>/.exec(page.text)![1]!) as {
        dashboard: { password: string }
      }
    ).dashboard.password
    const api = await send(broker, '/api/dashboard', { headers: { host, cookie } })
    expect(api.status).toBe(401)
    expect(api.text).not.toContain(key)
    const withKey = await send(broker, '/api/dashboard', { headers: { host, cookie, 'x-livetopic-dashboard-key': key } })
    expect(withKey.status).toBe(200)
    expect(withKey.text).not.toContain(key)
    expect(JSON.parse(withKey.text)).toMatchObject({ connections: [], subscriptions: 0 })
  })

  it('serves the page uncached and unframeable', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const page = await send(broker, '/', { headers: { host: `localhost:${broker.port}` } })
    expect(page.headers['cache-control']).toBe('no-store')
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'")
  })

  it("is honoured only on a WebSocket whose Origin is the broker's own page", async () => {
    const broker = await useBroker({ logger: 'silent', authorizer: denyAll })
    const key = await keyFromPage(broker)
    const creds = { username: '$dashboard', password: key }
    // the probe's attack: the key from a foreign page, to take over a client id and read everything
    expect(await refusal(broker.url, { ...creds, clientId: 'victim', ...withOrigin('https://evil.example') })).toBe(5)
    expect(await refusal(broker.url, { ...creds, ...withOrigin('http://localhost:5173') })).toBe(5)
    expect(await refusal(broker.url, { ...creds })).toBe(5) // no Origin: not the page
    const dashboard = await connect(broker.url, { ...creds, ...withOrigin(own(broker)) })
    await dashboard.subscribeAsync(['#', '$aws/events/#'])
    expect(await refusal(broker.url, { username: '$dashboard', password: 'guess', ...withOrigin(own(broker)) })).toBe(5)
  })

  it('lets the dashboard connect when tokenSigning is on', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const broker = await useBroker({
      logger: 'silent',
      authorizer: () => ({ isAuthenticated: true, principalId: 'device', policyDocuments: [allowAll] }),
      tokenSigning: { publicKeys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()] },
    })
    const key = await keyFromPage(broker)
    await expect(connect(broker.url, { username: '$dashboard', password: key, ...withOrigin(own(broker)) })).resolves.toBeDefined()
    // signing still applies to everyone else
    expect(await refusal(`${broker.url}?token=t`)).toBe(5)
    const signature = createSign('RSA-SHA256').update('t').sign(privateKey, 'base64')
    await expect(connect(`${broker.url}?token=t&x-amz-customauthorizer-signature=${encodeURIComponent(signature)}`)).resolves.toBeDefined()
  })

  it('refuses to start a dashboard on a non-loopback host unless allowed, and then warns', async () => {
    await expect(startBroker({ logger: 'silent', host: '192.0.2.1' })).rejects.toThrow(/refusing to serve the dashboard on 192\.0\.2\.1/)
    const lines: string[] = []
    const logger: BrokerLogger = { info: () => {}, warn: (m) => lines.push(m) }
    // 192.0.2.1 (TEST-NET-1) is on no interface here: the start gets past the check, then fails to bind
    await expect(startBroker({ logger, host: '192.0.2.1', allowRemoteDashboard: true })).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' })
    expect(lines.join('\n')).toMatch(/WARNING: the dashboard is served on a non-loopback address/)
    await expect(startBroker({ logger: 'silent', host: '192.0.2.1', dashboard: false })).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' })
  })
})

describe('foreign origins while authorization is off', () => {
  it('refuses a WebSocket from another site, and accepts loopback pages, no Origin and allowedOrigins', async () => {
    const broker = await useBroker({ logger: 'silent', allowedOrigins: ['https://dev.example.test'] })
    const port = `127.0.0.1:${broker.port}`
    expect(await upgradeStatus(broker, { host: port, origin: 'https://evil.example' })).toBe(403)
    expect(await upgradeStatus(broker, { host: port, origin: 'null' })).toBe(403)
    expect(await upgradeStatus(broker, { host: port, origin: 'http://127.0.0.1.evil.example' })).toBe(403)
    await expect(refusal(broker.url, withOrigin('https://evil.example'))).resolves.toBe('closed')
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:4173', 'https://[::1]:8443', own(broker), 'https://dev.example.test']) {
      expect([origin, await upgradeStatus(broker, { host: port, origin })]).toEqual([origin, 101])
    }
    await expect(connect(broker.url)).resolves.toBeDefined() // Node client, no Origin
  })

  it("refuses a cross-site text/plain POST to /topics/… and delivers nothing; the AWS SDK's (no Origin) still works", async () => {
    const broker = await useBroker({ logger: 'silent' })
    const watcher = await connect(broker.url)
    const got = inbox(watcher)
    await watcher.subscribeAsync('#')
    const host = `127.0.0.1:${broker.port}`
    const crossSite = await send(broker, '/topics/announcements', {
      method: 'POST',
      headers: { host, origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: 'planted',
    })
    expect(crossSite.status).toBe(403)
    expect(
      (await send(broker, '/topics/announcements', { method: 'POST', headers: { host, 'content-type': 'application/octet-stream' }, body: 'from node' }))
        .status,
    ).toBe(200)
    expect(
      (await send(broker, '/topics/announcements', { method: 'POST', headers: { host, origin: 'http://localhost:5173' }, body: 'from vite' })).status,
    ).toBe(200)
    await sleep(100)
    expect(got.map((m) => m.text)).toEqual(['from node', 'from vite'])
  })

  it('leaves WebSocket origins to the authorizer when there is one (as IoT Core does)', async () => {
    const broker = await useBroker({ logger: 'silent', authorizer: () => ({ isAuthenticated: true, principalId: 'app', policyDocuments: [allowAll] }) })
    await expect(connect(broker.url, withOrigin('https://app.example.test'))).resolves.toBeDefined()
  })
})
