import { startBroker, type RunningBroker } from '@livetopic/broker'
import { afterEach, describe, expect, it } from 'vitest'
import { connect, refusal } from './support.js'

const brokers: RunningBroker[] = []
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((b) => b.close()))
})

/** The page's HTML and the config the broker wrote into it. */
async function pageConfig(page: Response): Promise<{ html: string; config: { wsUrl: string; dashboard: { username: string; password: string } } }> {
  const html = await page.text()
  const json = /<script id="livetopic-dashboard-config" type="application\/json">(.*?)<\/script>/.exec(html)![1]!
  return { html, config: JSON.parse(json) as { wsUrl: string; dashboard: { username: string; password: string } } }
}

const denyAll = () => ({ isAuthenticated: false, principalId: 'nobody', policyDocuments: [] })

describe('dashboard', () => {
  it('serves the page with its config inlined, and a state document with connections and counters', async () => {
    const broker = await startBroker({ logger: 'silent' })
    brokers.push(broker)
    const page = await fetch(broker.httpUrl)
    expect(page.headers.get('content-type')).toContain('text/html')
    const { html, config } = await pageConfig(page)
    expect(html).toContain('MQTT test client')
    expect(config.wsUrl).toBe(broker.url)
    const client = await connect(broker.url, { clientId: 'watcher' })
    await client.publishAsync('a/b', 'x')
    const headers = { 'x-livetopic-dashboard-key': config.dashboard.password }
    const state = (await (await fetch(`${broker.httpUrl}/api/dashboard`, { headers })).json()) as { connections: { clientId: string }[]; messagesIn: number }
    expect(state.connections.map((c) => c.clientId)).toEqual(['watcher'])
    expect(state.messagesIn).toBeGreaterThanOrEqual(1)
  })

  it('lets only its own key past the authorizer', async () => {
    const broker = await startBroker({ logger: 'silent', authorizer: denyAll })
    brokers.push(broker)
    const { dashboard } = (await pageConfig(await fetch(broker.httpUrl))).config
    const fromPage = { wsOptions: { headers: { Origin: broker.httpUrl } } }
    await expect(connect(broker.url, { username: dashboard.username, password: dashboard.password, ...fromPage })).resolves.toBeDefined()
    expect(await refusal(broker.url, { username: dashboard.username, password: 'guess', ...fromPage })).toBe(5)
    expect(await refusal(broker.url, { username: 'someone', password: dashboard.password, ...fromPage })).toBe(5)
  })

  it('with httpToken, the page and its key need the token: ?token= sets an HttpOnly SameSite=Strict cookie', async () => {
    const broker = await startBroker({ logger: 'silent', httpToken: 'dash-token' })
    brokers.push(broker)
    const own = { origin: broker.httpUrl }
    for (const headers of [{}, own]) {
      const page = await fetch(broker.httpUrl, { headers })
      expect(page.status).toBe(401)
      expect(await page.text()).not.toContain('livetopic-dashboard-config')
    }
    expect((await fetch(`${broker.httpUrl}/?token=wrong`, { redirect: 'manual' })).status).toBe(401)
    const login = await fetch(`${broker.httpUrl}/?token=dash-token`, { redirect: 'manual' })
    expect(login.status).toBe(303)
    expect(login.headers.get('location')).toBe('/')
    const setCookie = login.headers.get('set-cookie')!
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Strict/)
    expect(setCookie).not.toContain('dash-token')
    const cookie = setCookie.split(';')[0]!
    const page = await fetch(broker.httpUrl, { headers: { cookie } })
    expect(page.status).toBe(200)
    const { config } = await pageConfig(page)
    const key = { 'x-livetopic-dashboard-key': config.dashboard.password }
    expect((await fetch(`${broker.httpUrl}/api/dashboard`, { headers: key })).status).toBe(401)
    expect((await fetch(`${broker.httpUrl}/api/dashboard`, { headers: { ...key, cookie } })).status).toBe(200)
    // another site's page gets nothing, cookie or not
    expect((await fetch(broker.httpUrl, { headers: { cookie, origin: 'http://evil.example' } })).status).toBe(403)
  })

  it('can be turned off', async () => {
    const broker = await startBroker({ logger: 'silent', dashboard: false, authorizer: denyAll })
    brokers.push(broker)
    expect((await fetch(`${broker.httpUrl}/api/dashboard`)).status).toBe(404)
  })
})
