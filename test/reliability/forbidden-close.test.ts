// Fault: under MQTT 3.1.1 AWS IoT Core answers a forbidden SUBSCRIBE or PUBLISH by closing the
// connection (no SUBACK 0x80, no PUBACK). Here aedes does the same: an error passed to the
// authorize hook's callback makes aedes destroy the client's socket. livetopic must find the
// culprit (in-flight items become suspects, retried alone, then marked) instead of looping.
import type { Client } from 'aedes'
import { describe, expect, it } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { useClient } from '../helpers/clients.js'
import { eventually, sleep, waitFor } from '../helpers/wait.js'

async function closingBroker(forbidden: string): Promise<{ url: string; connections: () => number; publish: (topic: string) => Promise<void> }> {
  const broker = await useBroker({ logger: 'silent' })
  let connections = 0
  broker.aedes.on('client', () => connections++)
  broker.aedes.authorizeSubscribe = (_client: Client | null, sub, done) => {
    if (sub.topic === forbidden) done(new Error('forbidden filter'), null)
    else done(null, sub)
  }
  broker.aedes.authorizePublish = (_client: Client | null, packet, done) => {
    done(packet.topic === forbidden ? new Error('forbidden topic') : null)
  }
  const publish = (topic: string): Promise<void> =>
    new Promise((resolve, reject) => {
      broker.aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(JSON.stringify({ topic })), qos: 0, retain: false, dup: false }, (e) =>
        e ? reject(e) : resolve(),
      )
    })
  return { url: broker.url, connections: () => connections, publish }
}

describe('authorization refused by closing the connection (MQTT 3.1.1, IoT Core style)', () => {
  it.each([
    ['a random client id', undefined],
    // the drops are explained by the suspects, so they must not count towards CLIENT_ID_CONFLICT
    ['a fixed client id', 'fixed-device-1'],
  ])(
    'subscribe (%s): only the forbidden filter ends NOT_AUTHORIZED, the others receive, no reconnect loop',
    async (_label, clientId) => {
      const broker = await closingBroker('secret/#')
      const live = useClient({ url: broker.url, ...(clientId ? { clientId } : {}) })
      // one tick: one SUBSCRIBE packet carrying all four filters
      const filters = ['open/a', 'secret/#', 'open/b', 'open/+/c']
      const stores = filters.map((f) => live.topic<{ topic: string }>(f))
      const offs = stores.map((s) => s.listen(() => {}))
      const [a, secret, b, c] = stores as [(typeof stores)[0], (typeof stores)[0], (typeof stores)[0], (typeof stores)[0]]

      const refused = await waitFor(secret, (v) => v.status === 'error', 10_000)
      expect(refused.error?.code).toBe('NOT_AUTHORIZED')
      expect(refused.error?.topic).toBe('secret/#')
      await Promise.all([a, b, c].map((s) => waitFor(s, (v) => v.status === 'subscribed', 10_000)))
      await waitFor(live.status, (s) => s.status === 'connected')

      for (const topic of ['open/a', 'open/b', 'open/x/c']) await broker.publish(topic)
      await eventually(() => [a, b, c].every((s) => s.get().data !== undefined))
      for (const s of [a, b, c]) expect(s.get().error).toBeUndefined()

      // no loop: the connection count settles (first + one per drop while isolating the culprit)
      const settled = broker.connections()
      expect(settled).toBeLessThanOrEqual(filters.length + 1)
      await sleep(1000)
      expect(broker.connections()).toBe(settled)
      expect(live.status.get().status).toBe('connected')
      offs.forEach((off) => off())
    },
    20_000,
  )

  it('a later listener of the forbidden filter gets the error at once, without a new SUBSCRIBE', async () => {
    const broker = await closingBroker('secret/#')
    const live = useClient({ url: broker.url })
    const off = live.topic('secret/#').listen(() => {})
    const keep = live.topic('open/a').listen(() => {})
    await waitFor(live.topic('secret/#'), (v) => v.status === 'error', 10_000)
    await waitFor(live.status, (s) => s.status === 'connected')
    await waitFor(live.topic('open/a'), (v) => v.status === 'subscribed')
    const before = broker.connections()
    const errors: string[] = []
    const offMessage = live.onMessage('secret/#', () => {}, { onError: (e) => errors.push(e.code) })
    expect(errors).toEqual(['NOT_AUTHORIZED'])
    await sleep(500)
    expect(broker.connections()).toBe(before)
    offMessage()
    off()
    keep()
  }, 20_000)

  it('publish: a QoS 1 publish to a forbidden topic rejects NOT_AUTHORIZED, the others go through', async () => {
    const broker = await closingBroker('secret/x')
    const reader = useClient({ url: broker.url })
    const got = reader.topic<number>('open/#', { history: 10 })
    const off = got.listen(() => {})
    await waitFor(got, (v) => v.status === 'subscribed')
    const live = useClient({ url: broker.url })
    live.connect()
    await waitFor(live.status, (s) => s.status === 'connected')
    const before = broker.connections()

    // sent in one tick, so the forbidden one is in flight together with the others
    const results = await Promise.allSettled([
      live.publish('open/1', 1, { qos: 1 }),
      live.publish('secret/x', 2, { qos: 1 }),
      live.publish('open/2', 3, { qos: 1 }),
      live.publish('open/3', 4, { qos: 1 }),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled'])
    const reason = (results[1] as PromiseRejectedResult).reason as { code: string; topic: string }
    expect(reason).toMatchObject({ code: 'NOT_AUTHORIZED', topic: 'secret/x' })
    // QoS 1 is at-least-once: open/1 may arrive twice when the drop beat its PUBACK to the client
    const unique = (): number[] => [...new Set(got.get().history.map((m) => m.payload))]
    await eventually(() => unique().length === 3)
    expect(unique()).toEqual([1, 3, 4])

    const settled = broker.connections()
    expect(settled - before).toBeLessThanOrEqual(4)
    await sleep(1000)
    expect(broker.connections()).toBe(settled)
    await live.publish('open/4', 5, { qos: 1 })
    expect(live.status.get().status).toBe('connected')
    off()
  }, 20_000)
})
