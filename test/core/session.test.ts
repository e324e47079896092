import { createClient } from '@livetopic/core'
import mqtt from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { countPackets, useBroker } from '../helpers/broker.js'
import { eventually, waitFor } from '../helpers/wait.js'

const cleanup: (() => Promise<unknown>)[] = []
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((fn) => fn()))
})

describe('persistent session (clean: false)', () => {
  it('keeps subscriptions and replays QoS 1 messages published while away, without resubscribing', async () => {
    const broker = await useBroker()
    const seen = countPackets(broker)
    // the URL provider holds the reconnect until 1–10 are stored: it cannot land mid-loop
    let away = Promise.resolve()
    let back = (): void => {}
    const live = createClient({ url: () => away.then(() => broker.url), clientId: 'persist-1', clean: false, reconnect: { initialDelay: 50, maxDelay: 50 } })
    cleanup.push(() => live.close())
    const received: number[] = []
    live.onMessage<number>('jobs/+', (m) => received.push(m.payload), { qos: 1 })
    await eventually(() => seen.subscribes.length === 1)
    await waitFor(live.status, (s) => s.status === 'connected')

    const raw = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 })
    cleanup.push(() => raw.endAsync())
    // the moment the resuming client gets its CONNACK, the broker starts streaming its stored
    // queue: publish 11–20 right then, so live deliveries race the replay of 1–10 every time
    const live11to20 = new Promise<void>((resolve) => {
      broker.aedes.on('connackSent', (_packet, client) => {
        if (client.id !== 'persist-1' || received.length > 0) return
        void Promise.all(Array.from({ length: 10 }, (_, i) => raw.publishAsync('jobs/queue', String(11 + i), { qos: 1 }))).then(() => resolve())
      })
    })
    // drop the client from the broker side, then publish while it is away
    const server = (broker.aedes as unknown as { clients: Record<string, { close(): void }> }).clients['persist-1']
    away = new Promise((resolve) => (back = resolve))
    server?.close()
    await waitFor(live.status, (s) => s.status === 'reconnecting')
    // one topic: MQTT keeps order per topic, not across topics
    for (let i = 1; i <= 10; i++) await raw.publishAsync('jobs/queue', String(i), { qos: 1 })
    back()

    await waitFor(live.status, (s) => s.status === 'connected' && s.sessionPresent === true)
    await live11to20
    await eventually(() => new Set(received).size === 20, 5000, '20 messages')
    // QoS 1 is at least once: a duplicate may come, but never out of order
    expect([...new Set(received)]).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(seen.subscribes).toHaveLength(1) // the kept session still had it
  })
})
