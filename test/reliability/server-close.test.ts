// Fault: the server ends the connection (AWS IoT's disconnectAfterInSeconds, a deploy, a load
// balancer). The client reconnects with a fresh URL from its provider, subscriptions come back and
// no store is left showing an error.
import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { aedesClients } from '../helpers/aedes-clients.js'
import { countPackets, useBroker } from '../helpers/broker.js'
import { useClient } from '../helpers/clients.js'
import { eventually, waitFor } from '../helpers/wait.js'

describe('server closes the connection', () => {
  it('reconnects with a fresh URL, restores subscriptions, leaves no error in topic stores', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const seen = countPackets(broker)
    const tokens: string[] = []
    broker.aedes.on('client', (client) => {
      const req = (client as unknown as { req?: IncomingMessage }).req
      tokens.push(new URL(req?.url ?? '/', 'http://x').searchParams.get('token') ?? '')
    })
    let issued = 0
    const live = useClient({ url: () => `${broker.url}?token=t${++issued}` })
    const stores = ['rooms/+room/messages', 'devices/d1/state', 'alerts/#'].map((f) => live.topic<{ v: number }>(f))
    const offs = stores.map((s) => s.listen(() => {}))
    await Promise.all(stores.map((s) => waitFor(s, (v) => v.status === 'subscribed')))
    expect(seen.subscribes).toHaveLength(1)

    for (let round = 1; round <= 3; round++) {
      for (const client of aedesClients(broker)) client.close()
      await waitFor(live.status, (s) => s.status !== 'connected')
      await waitFor(live.status, (s) => s.status === 'connected', 5000)
      await Promise.all(stores.map((s) => waitFor(s, (v) => v.status === 'subscribed')))
    }
    expect(issued).toBe(4)
    expect(tokens).toEqual(['t1', 't2', 't3', 't4'])
    // one SUBSCRIBE with all three filters per connection
    expect(seen.subscribes.map((s) => [...s].sort())).toEqual(Array(4).fill(['alerts/#', 'devices/d1/state', 'rooms/+/messages']))

    await live.publish('rooms/lobby/messages', { v: 1 }, { qos: 1 })
    await live.publish('devices/d1/state', { v: 2 }, { qos: 1 })
    await live.publish('alerts/fire', { v: 3 }, { qos: 1 })
    await eventually(() => stores.every((s) => s.get().data !== undefined))
    expect(stores.map((s) => s.get().data)).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }])
    for (const store of stores) expect(store.get().error).toBeUndefined()
    // a quick server close of a client with a random id is not mistaken for a client-id conflict
    expect(live.status.get()).toMatchObject({ status: 'connected' })
    expect(live.status.get().error).toBeUndefined()
    offs.forEach((off) => off())
  }, 20_000)
})
