// The shared-connection mode in Node: simulated tabs (an in-memory Web Locks, Node's real
// BroadcastChannel) around the real MQTT.js transport, against the aedes stand-in on 127.0.0.1.
import type { Client } from 'aedes'
import type { AedesPublishPacket } from 'aedes'
import { describe, expect, it } from 'vitest'
import type { RunningBroker } from '@livetopic/broker'
import { createClient, type LiveTopicClient } from '@livetopic/core'
import { shareAcrossTabs } from '@livetopic/core/tabs'
import { countPackets, useBroker } from '../../helpers/broker.js'
import { eventually, sleep, waitFor } from '../../helpers/wait.js'
import { useBrowser } from '../support/node-tabs.js'

/** Counts connections and per-client deliveries (PUBLISH packets the broker forwards). */
function watch(broker: RunningBroker): { connections: () => number; deliveries: (topic: string) => number } {
  let connections = 0
  const delivered = new Map<string, number>()
  broker.aedes.on('client', () => void connections++)
  const forward = broker.aedes.authorizeForward.bind(broker.aedes)
  broker.aedes.authorizeForward = (client: Client, packet: AedesPublishPacket) => {
    const result = forward(client, packet)
    if (result) delivered.set(packet.topic, (delivered.get(packet.topic) ?? 0) + 1)
    return result
  }
  return { connections: () => connections, deliveries: (topic) => delivered.get(topic) ?? 0 }
}

function publishFromBroker(broker: RunningBroker, topic: string, payload: unknown, retain = false): Promise<void> {
  return new Promise((resolve, reject) => {
    broker.aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(JSON.stringify(payload)), qos: 0, retain, dup: false }, (e) =>
      e ? reject(e) : resolve(),
    )
  })
}

const connected = (client: LiveTopicClient): Promise<unknown> => {
  client.connect()
  return waitFor(client.status, (s) => s.status === 'connected', 10_000)
}

describe('shareAcrossTabs: one connection for every tab', () => {
  it('three tabs: one connection, one delivery per message, shown in every tab; roles on the status store', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const seen = watch(broker)
    const browser = useBrowser()
    const tabs = [0, 1, 2].map(() => browser.open({ url: broker.url }))
    const stores = tabs.map((t) => t.client.topic<{ n: number }>('rooms/lobby'))
    const offs = stores.map((s) => s.listen(() => {}))
    await Promise.all(tabs.map((t) => connected(t.client)))
    await Promise.all(stores.map((s) => waitFor(s, (v) => v.status === 'subscribed')))
    expect(tabs.map((t) => t.client.status.get().role).sort()).toEqual(['follower', 'follower', 'leader'])
    expect(seen.connections()).toBe(1)

    await publishFromBroker(broker, 'rooms/lobby', { n: 1 })
    await Promise.all(stores.map((s) => waitFor(s, (v) => v.data?.n === 1)))
    expect(seen.deliveries('rooms/lobby')).toBe(1)
    offs.forEach((off) => off())
  })

  it('publishes from a follower resolve on PUBACK and reach every tab once', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const browser = useBrowser()
    const [leader, follower] = [browser.open({ url: broker.url }), browser.open({ url: broker.url })] as const
    const heard = [leader, follower].map((t) => {
      const got: number[] = []
      t.client.onMessage<{ n: number }>('chat', (m) => got.push(m.payload.n))
      return got
    })
    await Promise.all([connected(leader.client), connected(follower.client)])
    await sleep(100)
    for (let n = 0; n < 20; n++) await follower.client.publish('chat', { n }, { qos: 1 })
    await eventually(() => heard.every((g) => g.length === 20))
    expect(heard).toEqual([[...Array(20).keys()], [...Array(20).keys()]])
  })

  it("one tab's unsubscribe does not cut another's; the last one out unsubscribes at the broker", async () => {
    const broker = await useBroker({ logger: 'silent' })
    const packets = countPackets(broker)
    const browser = useBrowser()
    const [a, b] = [browser.open({ url: broker.url }), browser.open({ url: broker.url })]
    const storeA = a.client.topic<{ n: number }>('shared/t')
    const storeB = b.client.topic<{ n: number }>('shared/t')
    const offA = storeA.listen(() => {})
    const offB = storeB.listen(() => {})
    await Promise.all([waitFor(storeA, (v) => v.status === 'subscribed'), waitFor(storeB, (v) => v.status === 'subscribed')])
    offA()
    await sleep(300)
    expect(packets.unsubscribes.flat()).not.toContain('shared/t')
    await publishFromBroker(broker, 'shared/t', { n: 7 })
    await waitFor(storeB, (v) => v.data?.n === 7)
    offB()
    await eventually(() => packets.unsubscribes.flat().includes('shared/t'))
  })

  it('a tab opened later gets the retained value; the tabs already subscribed see it no second time', async () => {
    const broker = await useBroker({ logger: 'silent' })
    await publishFromBroker(broker, 'status/door', { open: true }, true)
    const browser = useBrowser()
    const first = browser.open({ url: broker.url })
    const early = first.client.topic<{ open: boolean }>('status/door', { history: 10 })
    const offEarly = early.listen(() => {})
    await waitFor(early, (v) => v.data?.open === true)
    const later = browser.open({ url: broker.url })
    const late = later.client.topic<{ open: boolean }>('status/door', { history: 10 })
    const offLate = late.listen(() => {})
    const got = await waitFor(late, (v) => v.data?.open === true)
    expect(got.message?.retained).toBe(true)
    await sleep(300)
    expect(early.get().history).toHaveLength(1)
    expect(late.get().history).toHaveLength(1)
    offEarly()
    offLate()
  })

  it('the leader closes: a follower takes over, stores keep working, QoS 1 publishes in flight are not lost', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const seen = watch(broker)
    const browser = useBrowser()
    const leader = browser.open({ url: broker.url })
    await connected(leader.client)
    const followers = [browser.open({ url: broker.url }), browser.open({ url: broker.url })]
    const store = followers[0]!.client.topic<{ n: number }>('after/handover')
    const off = store.listen(() => {})
    await Promise.all(followers.map((f) => connected(f.client)))
    await waitFor(store, (v) => v.status === 'subscribed')
    // counted by a client of its own, outside the tabs: what the broker really delivered
    const observer = createClient({ url: broker.url })
    const received: number[] = []
    observer.onMessage<{ n: number }>('inflight', (m) => received.push(m.payload.n), { qos: 1 })
    await connected(observer)
    await sleep(100)

    const sent = Array.from({ length: 30 }, (_, n) => followers[0]!.client.publish('inflight', { n }, { qos: 1 }))
    await leader.client.close()
    await eventually(() => followers.some((f) => f.client.status.get().role === 'leader'), 5000, 'a new leader')
    await Promise.all(sent)
    await eventually(() => received.length >= 30, 10_000, 'all publishes')
    await sleep(200)
    await observer.close()
    expect([...received].sort((x, y) => x - y)).toEqual([...Array(30).keys()])
    expect(seen.connections()).toBe(3) // the first leader, the observer, the new leader

    await Promise.all(followers.map((f) => connected(f.client)))
    await waitFor(store, (v) => v.status === 'subscribed')
    await publishFromBroker(broker, 'after/handover', { n: 1 })
    await waitFor(store, (v) => v.data?.n === 1)
    off()
  })

  it('a leader that crashes is replaced; a follower that crashes lets go of its filters', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const packets = countPackets(broker)
    const browser = useBrowser()
    const leader = browser.open({ url: broker.url })
    await connected(leader.client)
    const [b, c] = [browser.open({ url: broker.url }), browser.open({ url: broker.url })] as [ReturnType<typeof browser.open>, ReturnType<typeof browser.open>]
    const stores = [b, c].map((t) => t.client.topic<{ n: number }>('both'))
    const offs = stores.map((s) => s.listen(() => {}))
    await Promise.all(stores.map((s) => waitFor(s, (v) => v.status === 'subscribed')))

    leader.crash()
    await eventually(() => [b, c].some((t) => t.client.status.get().role === 'leader'), 5000, 'a new leader')
    const [survivor, follower] = b.client.status.get().role === 'leader' ? [b, c] : [c, b]
    await connected(follower.client)
    const mine = follower.client.topic('only/follower')

    offs.push(mine.listen(() => {}))
    await Promise.all([...stores, mine].map((s) => waitFor(s, (v) => v.status === 'subscribed', 10_000)))

    const held = (): string[] => broker.connections().flatMap((c) => c.subscriptions)
    expect(held().sort()).toEqual(['both', 'only/follower'])
    follower.crash()
    await eventually(() => packets.unsubscribes.flat().includes('only/follower'), 5000, 'UNSUBSCRIBE only/follower')
    expect(held()).toEqual(['both'])
    await publishFromBroker(broker, 'both', { n: 3 })
    await waitFor(stores[survivor === b ? 0 : 1]!, (v) => v.data?.n === 3)
    offs.forEach((off) => off())
  })

  it('falls back to its own connection where Web Locks are missing (Node): no role', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const seen = watch(broker)
    const clients = [0, 1].map(() => createClient({ url: broker.url }, shareAcrossTabs({ channel: 'fallback' })))
    try {
      await Promise.all(clients.map((c) => (c.connect(), connected(c))))
      expect(seen.connections()).toBe(2)
      expect(clients.map((c) => c.status.get().role)).toEqual([undefined, undefined])
    } finally {
      await Promise.all(clients.map((c) => c.close()))
    }
  })
})

describe('shareAcrossTabs: errors arrive in the tab that caused them', () => {
  it('a follower publishing where the broker hangs up (IoT under 3.1.1) gets NOT_AUTHORIZED; the other tabs carry on', async () => {
    const broker = await useBroker({ logger: 'silent' })
    broker.aedes.authorizePublish = (_client: Client | null, packet, done) => done(packet.topic === 'forbidden' ? new Error('forbidden topic') : null)
    const browser = useBrowser()
    const leader = browser.open({ url: broker.url })
    await connected(leader.client)
    const follower = browser.open({ url: broker.url })
    await connected(follower.client)
    const refused = await follower.client.publish('forbidden', { x: 1 }, { qos: 1 }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(refused).toMatchObject({ code: 'NOT_AUTHORIZED', topic: 'forbidden' })
    await Promise.all([connected(leader.client), connected(follower.client)])
    await expect(leader.client.publish('allowed', { x: 2 }, { qos: 1 })).resolves.toBeUndefined()
    await expect(follower.client.publish('allowed', { x: 3 }, { qos: 1 })).resolves.toBeUndefined()
  })

  it('QUEUE_FULL while the shared connection is down is the publishing tab’s own', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const browser = useBrowser()
    const leader = browser.open({ url: broker.url })
    await connected(leader.client)
    const follower = browser.open({ url: broker.url, queueLimit: 1 })
    await connected(follower.client)
    await broker.close()
    await waitFor(follower.client.status, (s) => s.status !== 'connected')
    const first = follower.client.publish('t', 1, { qos: 1 })
    first.catch(() => {})
    await expect(follower.client.publish('t', 2, { qos: 1 })).rejects.toMatchObject({ code: 'QUEUE_FULL' })
  })
})
