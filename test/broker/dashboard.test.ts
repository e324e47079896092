import { startBroker, type RunningBroker } from '@livetopic/broker'
import { afterEach, describe, expect, it } from 'vitest'
import { connect, refusal } from './support.js'

const brokers: RunningBroker[] = []
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((b) => b.close()))
})

const denyAll = () => ({ isAuthenticated: false, principalId: 'nobody', policyDocuments: [] })

describe('dashboard', () => {
  it('serves the page and a state document with connections and counters', async () => {
    const broker = await startBroker({ logger: 'silent' })
    brokers.push(broker)
    const page = await fetch(broker.httpUrl)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(await page.text()).toContain('MQTT test client')
    const client = await connect(broker.url, { clientId: 'watcher' })
    await client.publishAsync('a/b', 'x')
    const state = (await (await fetch(`${broker.httpUrl}/api/dashboard`)).json()) as { connections: { clientId: string }[]; messagesIn: number; wsUrl: string }
    expect(state.wsUrl).toBe(broker.url)
    expect(state.connections.map((c) => c.clientId)).toEqual(['watcher'])
    expect(state.messagesIn).toBeGreaterThanOrEqual(1)
  })

  it('lets only its own key past the authorizer', async () => {
    const broker = await startBroker({ logger: 'silent', authorizer: denyAll })
    brokers.push(broker)
    const { dashboard } = (await (await fetch(`${broker.httpUrl}/api/dashboard`)).json()) as { dashboard: { username: string; password: string } }
    await expect(connect(broker.url, { username: dashboard.username, password: dashboard.password })).resolves.toBeDefined()
    expect(await refusal(broker.url, { username: dashboard.username, password: 'guess' })).toBe(5)
    expect(await refusal(broker.url, { username: 'someone', password: dashboard.password })).toBe(5)
  })

  it('can be turned off', async () => {
    const broker = await startBroker({ logger: 'silent', dashboard: false, authorizer: denyAll })
    brokers.push(broker)
    expect((await fetch(`${broker.httpUrl}/api/dashboard`)).status).toBe(404)
  })
})
