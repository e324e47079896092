import { describe, expect, it, onTestFinished } from 'vitest'
import type { Denial } from '@livetopic/broker'
import { outgoingQueueOf } from '../../packages/broker/src/aedes-adapter/outgoing-queue.js'
import { useBroker } from '../helpers/broker.js'
import { rawWsClient } from '../helpers/raw-ws-client.js'
import { eventually } from '../helpers/wait.js'
import { connect, lifecycleLog } from './support.js'

const MIB = 1024 * 1024

describe('a subscriber that stops reading', () => {
  it('does not hold up other clients; it loses QoS 0 past its queue limit, then is disconnected as THROTTLED', async () => {
    const broker = await useBroker({ logger: 'silent', outgoing: { disconnectAfterMs: 1000 } })
    const denials: Denial[] = []
    broker.events.on('denied', (d) => denials.push(d))
    const lifecycle = lifecycleLog(broker)
    const slow = await rawWsClient(broker.url, 'slow')
    onTestFinished(() => slow.close())
    slow.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'rooms/#', qos: 0 }] })
    await slow.next((p) => p.cmd === 'suback')
    slow.socket.pause()
    const other = await connect(broker.url, { clientId: 'other' })
    await other.subscribeAsync('elsewhere/news')
    const publisher = await connect(broker.url, { clientId: 'publisher' })

    // the broker's queue for the slow client, sampled while the flood goes on
    const slowClient = (broker.aedes as unknown as { clients: Record<string, { conn: import('node:stream').Duplex }> }).clients.slow!
    const queue = outgoingQueueOf(slowClient.conn)!
    let maxQueued = 0
    const sampler = setInterval(() => (maxQueued = Math.max(maxQueued, queue.bytes)), 5)
    onTestFinished(() => clearInterval(sampler))

    const payload = Buffer.alloc(100 * 1024, 1)
    for (let i = 0; i < 300; i++) publisher.publish('rooms/lobby', payload)
    await publisher.publishAsync('rooms/lobby', 'last', { qos: 1 })
    const sent = Date.now()
    const arrived = new Promise<number>((resolve) => other.once('message', () => resolve(Date.now() - sent)))
    publisher.publish('elsewhere/news', 'hello')
    // generous bound (a loaded machine is not a failure); the slow-consumer benchmark measures the real figure
    expect(await arrived).toBeLessThan(2000)

    await eventually(() => lifecycle.some((e) => e.payload.clientId === 'slow' && e.payload.eventType === 'disconnected'), 10_000, 'slow disconnected')
    const disconnected = lifecycle.find((e) => e.payload.clientId === 'slow' && e.payload.eventType === 'disconnected')!
    expect(disconnected.payload.disconnectReason).toBe('THROTTLED')
    expect(denials.find((d) => d.clientId === 'slow')).toMatchObject({ action: 'limit', resource: 'outgoing queue' })
    expect(denials.find((d) => d.clientId === 'slow')!.reason).toMatch(/QoS 0 messages dropped/)
    // bounded: the queue limit (4 MiB) plus the message that crossed it, never the 30 MB sent
    expect(maxQueued).toBeGreaterThan(4 * MIB)
    expect(maxQueued).toBeLessThan(4 * MIB + 200 * 1024)
    // the others are still served
    const again = new Promise<string>((resolve) => other.once('message', (_t, p) => resolve(p.toString())))
    publisher.publish('elsewhere/news', 'still here')
    expect(await again).toBe('still here')
  })
})
