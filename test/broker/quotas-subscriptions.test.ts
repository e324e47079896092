import { describe, expect, it } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { useDefaultBroker } from './quota-support.js'
import { eventually } from '../helpers/wait.js'
import { closed, connect, lifecycleLog } from './support.js'

const filters = (from: number, count: number): string[] => Array.from({ length: count }, (_, i) => `q/${from + i}`)

describe('quota: subscriptions per connection', () => {
  it("holds IoT's 50 by default: the 51st closes the connection (CLIENT_ERROR), re-subscribing and freed filters do not count", async () => {
    const broker = await useDefaultBroker()
    const log = lifecycleLog(broker)
    const client = await connect(broker.url, { clientId: 'many-subs' })
    for (let i = 0; i < 50; i += 5) await client.subscribeAsync(filters(i, 5)) // 8 per SUBSCRIBE at most
    expect(broker.subscriptionCount()).toBe(50)
    await client.subscribeAsync(['q/0', 'q/49']) // held already: no new subscription
    await client.unsubscribeAsync('q/0')
    await client.subscribeAsync('q/new') // takes the freed place
    expect(client.connected).toBe(true)
    const gone = closed(client)
    client.subscribe('q/51')
    await gone
    await eventually(() => log.some((e) => e.topic === '$aws/events/presence/disconnected/many-subs'))
    const disconnected = log.find((e) => e.topic === '$aws/events/presence/disconnected/many-subs')!
    expect(disconnected.payload.disconnectReason).toBe('CLIENT_ERROR')
  })

  it('counts the filters of one SUBSCRIBE together, with a lower quota set', async () => {
    const broker = await useBroker({ logger: 'silent', quotas: { subscriptionsPerConnection: 3 } })
    const denials: string[] = []
    broker.events.on('denied', (d) => denials.push(d.reason))
    const client = await connect(broker.url, { clientId: 'batch' })
    await client.subscribeAsync(['a', 'b'])
    const gone = closed(client)
    client.subscribe(['c', 'd']) // 2 + 2 > 3
    await gone
    expect(denials).toEqual(['more than 3 subscriptions on one connection'])
    expect(broker.subscriptionCount()).toBe(0)
  })
})
