import { createClient, LiveTopicError, textCodec } from '@livetopic/core'
import mqtt from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { countPackets, useBroker } from '../helpers/broker.js'
import { eventually, sleep, waitFor } from '../helpers/wait.js'

const clients: { close(): Promise<void> }[] = []
function client(url: string, extra: Partial<Parameters<typeof createClient>[0]> = {}) {
  const live = createClient({ url, unsubscribeDelay: 50, ...extra })
  clients.push(live)
  return live
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
})

/** A raw MQTT.js publisher, the way a backend would publish. */
async function rawPublisher(url: string) {
  const raw = await mqtt.connectAsync(url, { reconnectPeriod: 0 })
  clients.push({ close: () => raw.endAsync() })
  return raw
}

describe('topic stores', () => {
  it('receives on an exact filter and on wildcard filters, with named params', async () => {
    const broker = await useBroker()
    const live = client(broker.url)
    const exact = live.topic<{ n: number }>('sensors/kitchen/temp')
    const plus = live.topic<{ n: number }>('sensors/+room/temp')
    const hash = live.topic<{ n: number }>('sensors/#rest')
    for (const store of [exact, plus, hash]) store.listen(() => {})
    await waitFor(hash, (s) => s.status === 'subscribed')
    await waitFor(exact, (s) => s.status === 'subscribed')
    const raw = await rawPublisher(broker.url)
    await raw.publishAsync('sensors/kitchen/temp', JSON.stringify({ n: 21 }))
    const [a, b, c] = await Promise.all([exact, plus, hash].map((s) => waitFor(s, (v) => v.data !== undefined)))
    expect(a!.data).toEqual({ n: 21 })
    expect(a!.message).toMatchObject({ topic: 'sensors/kitchen/temp', params: {}, qos: 0, retained: false })
    expect(b!.message?.params).toEqual({ room: 'kitchen' })
    expect(c!.message?.params).toEqual({ rest: 'kitchen/temp' })
  })

  it('gives the same store for the same filter and options', () => {
    const live = client('ws://127.0.0.1:9/mqtt')
    expect(live.topic('a/b')).toBe(live.topic('a/b'))
    expect(live.topic('a/b', { history: 3 })).toBe(live.topic('a/b', { history: 3 }))
    expect(live.topic('a/b', { history: 3 })).not.toBe(live.topic('a/b'))
    expect(live.topic('a/b', { codec: textCodec })).not.toBe(live.topic('a/b'))
  })

  it('sends one SUBSCRIBE for 1,000 listeners on one filter and one UNSUBSCRIBE after the last leaves', async () => {
    const broker = await useBroker()
    const seen = countPackets(broker)
    const live = client(broker.url)
    const offs: (() => void)[] = []
    // through repeated topic() calls, different options on the same filter, and onMessage callbacks
    for (let i = 0; i < 1000; i++) {
      if (i % 3 === 0) offs.push(live.topic('chat/lobby').listen(() => {}))
      else if (i % 3 === 1) offs.push(live.topic('chat/lobby', { history: i }).listen(() => {}))
      else offs.push(live.onMessage('chat/lobby', () => {}))
    }
    await waitFor(live.topic('chat/lobby'), (s) => s.status === 'subscribed')
    const raw = await rawPublisher(broker.url)
    let received = 0
    offs.push(live.onMessage('chat/lobby', () => received++))
    await raw.publishAsync('chat/lobby', '"hello"')
    await eventually(() => received === 1)
    expect(seen.subscribes.filter((s) => s.includes('chat/lobby'))).toHaveLength(1)
    offs.slice(0, -1).forEach((off) => off())
    await sleep(150)
    expect(seen.unsubscribes).toHaveLength(0)
    offs[offs.length - 1]!()
    await eventually(() => seen.unsubscribes.length === 1, 3000, 'UNSUBSCRIBE')
    expect(seen.unsubscribes).toEqual([['chat/lobby']])
    await sleep(150)
    expect(seen.unsubscribes).toHaveLength(1)
  })

  it('absorbs a remount within the unsubscribe delay (no UNSUBSCRIBE/SUBSCRIBE churn)', async () => {
    const broker = await useBroker()
    const seen = countPackets(broker)
    const live = client(broker.url, { unsubscribeDelay: 500 })
    const store = live.topic('churn/x')
    let off = store.listen(() => {})
    await waitFor(store, (s) => s.status === 'subscribed')
    off()
    await sleep(50)
    off = store.listen(() => {})
    await sleep(700)
    expect(seen.subscribes).toEqual([['churn/x']])
    expect(seen.unsubscribes).toEqual([])
    off()
  })

  it('batches subscribes made in the same tick into one SUBSCRIBE packet', async () => {
    const broker = await useBroker()
    const seen = countPackets(broker)
    const live = client(broker.url)
    const stores = Array.from({ length: 6 }, (_, i) => live.topic(`batch/${i}`))
    stores.forEach((s) => s.listen(() => {}))
    await Promise.all(stores.map((s) => waitFor(s, (v) => v.status === 'subscribed')))
    expect(seen.subscribes).toHaveLength(1)
    expect(seen.subscribes[0]).toHaveLength(6)
  })

  it('delivers a retained message as the initial data, marked retained', async () => {
    const broker = await useBroker()
    const raw = await rawPublisher(broker.url)
    await raw.publishAsync('config/theme', JSON.stringify({ dark: true }), { retain: true, qos: 1 })
    const live = client(broker.url)
    const store = live.topic('config/theme')
    store.listen(() => {})
    const state = await waitFor(store, (s) => s.data !== undefined)
    expect(state.data).toEqual({ dark: true })
    expect(state.message?.retained).toBe(true)
  })

  it('keeps the last N messages in history, oldest first, and every one of a burst', async () => {
    const broker = await useBroker()
    const live = client(broker.url)
    const store = live.topic<number>('burst', { history: 5 })
    store.listen(() => {})
    await waitFor(store, (s) => s.status === 'subscribed')
    const raw = await rawPublisher(broker.url)
    for (let i = 1; i <= 8; i++) raw.publish('burst', String(i))
    const state = await waitFor(store, (s) => s.data === 8)
    expect(state.history.map((m) => m.payload)).toEqual([4, 5, 6, 7, 8])
  })

  it('keeps the last good data and carries DECODE_FAILED when a payload does not decode', async () => {
    const broker = await useBroker()
    const live = client(broker.url)
    const store = live.topic<{ ok: boolean }>('mixed')
    const other = live.topic<string>('mixed', { codec: textCodec })
    store.listen(() => {})
    other.listen(() => {})
    await waitFor(store, (s) => s.status === 'subscribed')
    const raw = await rawPublisher(broker.url)
    await raw.publishAsync('mixed', '{"ok":true}')
    await waitFor(store, (s) => s.data !== undefined)
    await raw.publishAsync('mixed', '{not json')
    const state = await waitFor(store, (s) => s.error !== undefined)
    expect(state.error).toBeInstanceOf(LiveTopicError)
    expect(state.error?.code).toBe('DECODE_FAILED')
    expect(state.data).toEqual({ ok: true })
    // the text store on the same filter took both payloads
    expect((await waitFor(other, (s) => s.data === '{not json')).data).toBe('{not json')
    // the next good message clears the error
    await raw.publishAsync('mixed', '{"ok":false}')
    const next = await waitFor(store, (s) => s.data?.ok === false)
    expect(next.error).toBeUndefined()
  })

  it('routes a repeated topic to a filter added after it was first seen (dispatch cache)', async () => {
    const broker = await useBroker()
    const live = client(broker.url)
    const exact: string[] = []
    const wild: string[] = []
    live.onMessage<string>('cache/x', (m) => exact.push(m.payload))
    await eventually(() => broker.subscriptionCount() === 1)
    const raw = await rawPublisher(broker.url)
    await raw.publishAsync('cache/x', '"1"')
    await eventually(() => exact.length === 1)
    live.onMessage<string>('cache/+', (m) => wild.push(m.payload))
    await eventually(() => broker.subscriptionCount() === 2)
    await raw.publishAsync('cache/x', '"2"')
    await eventually(() => wild.length === 1 && exact.length === 2)
    expect(wild).toEqual(['2'])
  })

  it('subscribes each filter with its own QoS', async () => {
    const broker = await useBroker()
    const granted: Record<string, number> = {}
    broker.aedes.on('subscribe', (subs) => subs.forEach((s) => (granted[s.topic] = s.qos)))
    const live = client(broker.url)
    live.topic('qos/zero').listen(() => {})
    live.topic('qos/one', { qos: 1 }).listen(() => {})
    await eventually(() => Object.keys(granted).length === 2)
    expect(granted).toEqual({ 'qos/zero': 0, 'qos/one': 1 })
  })

  it('throws INVALID_TOPIC for an invalid filter at topic() and never opens a socket for get()', async () => {
    const broker = await useBroker()
    const live = client(broker.url)
    expect(() => live.topic('a/#/b')).toThrow(LiveTopicError)
    const store = live.topic('lazy/topic')
    expect(store.get().status).toBe('idle')
    await sleep(100)
    expect(broker.aedes.connectedClients).toBe(0)
    expect(live.status.get().status).toBe('idle')
  })
})
