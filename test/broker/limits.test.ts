import { describe, expect, it, onTestFinished } from 'vitest'
import mqtt from 'mqtt'
import type { Denial } from '@livetopic/broker'
import { useBroker } from '../helpers/broker.js'
import { eventually, sleep } from '../helpers/wait.js'
import { closed, connect, inbox, refusal } from './support.js'

async function start() {
  const broker = await useBroker({ logger: 'silent' })
  const denials: Denial[] = []
  broker.events.on('denied', (d) => denials.push(d))
  return { broker, denials }
}

describe('IoT Core limits', () => {
  it('does not grant QoS 2 on SUBSCRIBE and closes a QoS 2 PUBLISH', async () => {
    const { broker, denials } = await start()
    const c = await connect(broker.url, { clientId: 'q' })
    const granted = await c.subscribeAsync('t', { qos: 2 })
    expect(granted[0]!.qos).toBe(1)
    const gone = closed(c)
    c.publish('t', 'x', { qos: 2 })
    await gone
    expect(denials[0]).toMatchObject({ action: 'limit', reason: 'QoS 2 is not supported' })
  })

  it('closes a connection that publishes more than 128 KB', async () => {
    const { broker, denials } = await start()
    const c = await connect(broker.url, { clientId: 'big' })
    await c.publishAsync('t', Buffer.alloc(128 * 1024), { qos: 1 })
    const gone = closed(c)
    c.publish('t', Buffer.alloc(128 * 1024 + 1), { qos: 1 })
    await gone
    expect(denials[0]!.reason).toMatch(/payload larger than 131072 bytes/)
  })

  it('refuses topics over 256 bytes or 7 slashes, for PUBLISH and SUBSCRIBE', async () => {
    const { broker, denials } = await start()
    const ok = await connect(broker.url, { clientId: 'ok' })
    await ok.publishAsync('a/b/c/d/e/f/g/h', 'seven slashes', { qos: 1 })
    await ok.publishAsync('x'.repeat(256), 'max length', { qos: 1 })
    for (const [id, act] of [
      ['p-slash', (c: Awaited<ReturnType<typeof connect>>) => c.publish('a/b/c/d/e/f/g/h/i', 'x')],
      ['p-long', (c: Awaited<ReturnType<typeof connect>>) => c.publish('x'.repeat(257), 'x')],
      ['s-slash', (c: Awaited<ReturnType<typeof connect>>) => c.subscribe('a/b/c/d/e/f/g/h/#')],
    ] as const) {
      const c = await connect(broker.url, { clientId: id })
      const gone = closed(c)
      act(c)
      await gone
    }
    expect(denials.map((d) => d.reason)).toEqual(['topic more than 7 slashes', 'topic longer than 256 bytes', 'topic filter more than 7 slashes'])
  })

  it('closes a connection that sends more than 8 filters in one SUBSCRIBE', async () => {
    const { broker } = await start()
    const c = await connect(broker.url, { clientId: 'many' })
    await c.subscribeAsync(Array.from({ length: 8 }, (_, i) => `f/${i}`))
    const gone = closed(c)
    c.subscribe(Array.from({ length: 9 }, (_, i) => `g/${i}`))
    await gone
    expect(broker.subscriptionCount()).toBe(0)
  })

  it('refuses client ids longer than 128 bytes (CONNACK 2)', async () => {
    const { broker } = await start()
    await connect(broker.url, { clientId: 'c'.repeat(128) })
    expect(await refusal(broker.url, { clientId: 'c'.repeat(129) })).toBe(2)
  })

  it('write-protects reserved $aws/ topics', async () => {
    const { broker, denials } = await start()
    const c = await connect(broker.url, { clientId: 'sneaky' })
    const gone = closed(c)
    c.publish('$aws/events/presence/connected/someone-else', '{}')
    await gone
    expect(denials[0]).toMatchObject({ action: 'iot:Publish', reason: 'reserved topic' })
  })

  it('does not match a/# against a (unlike the MQTT spec)', async () => {
    const { broker } = await start()
    const c = await connect(broker.url, { clientId: 'm' })
    const seen = inbox(c)
    await c.subscribeAsync('a/#', { qos: 1 })
    await c.publishAsync('a', 'parent', { qos: 1 })
    await c.publishAsync('a/b', 'child', { qos: 1 })
    await eventually(() => seen.length >= 1)
    await sleep(100)
    expect(seen.map((m) => m.text)).toEqual(['child'])
  })
})

describe('retained messages', () => {
  it('are delivered on subscribe to an exact filter only, and an empty payload deletes them', async () => {
    const { broker } = await start()
    const pub = await connect(broker.url, { clientId: 'pub' })
    await pub.publishAsync('status/door', 'open', { qos: 1, retain: true })
    const exact = await connect(broker.url, { clientId: 'exact' })
    const wild = await connect(broker.url, { clientId: 'wild' })
    const exactSeen = inbox(exact)
    const wildSeen = inbox(wild)
    await wild.subscribeAsync('status/+', { qos: 1 })
    await exact.subscribeAsync('status/door', { qos: 1 })
    await eventually(() => exactSeen.length === 1)
    expect(exactSeen[0]).toMatchObject({ topic: 'status/door', text: 'open', retain: true })
    await sleep(100)
    expect(wildSeen).toEqual([])

    await pub.publishAsync('status/door', '', { qos: 1, retain: true })
    const later = await connect(broker.url, { clientId: 'later' })
    const laterSeen = inbox(later)
    await later.subscribeAsync('status/door', { qos: 1 })
    await sleep(150)
    expect(laterSeen).toEqual([])
  })

  it('keep QoS 1 messages for a persistent session while it is away', async () => {
    const { broker } = await start()
    const first = await connect(broker.url, { clientId: 'persist', clean: false })
    await first.subscribeAsync('inbox/persist', { qos: 1 })
    await first.endAsync()
    const pub = await connect(broker.url, { clientId: 'sender' })
    await pub.publishAsync('inbox/persist', 'while away 1', { qos: 1 })
    await pub.publishAsync('inbox/persist', 'while away 2', { qos: 1 })
    await pub.publishAsync('inbox/persist', 'qos 0 is not kept', { qos: 0 })
    const texts: string[] = []
    // listen before CONNACK: the queued messages follow it at once
    const back = mqtt.connect(broker.url, { clientId: 'persist', clean: false, protocolVersion: 4, reconnectPeriod: 0 })
    back.on('message', (_t, p) => texts.push(p.toString()))
    onTestFinished(() => void back.endAsync(true))
    await eventually(() => texts.length === 2)
    expect(texts).toEqual(['while away 1', 'while away 2'])
  })
})
