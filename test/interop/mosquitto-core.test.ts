// The core integration cases against a real Mosquitto 2.0 (MQTT 3.1.1 and 5) over WebSocket.
import { binaryCodec, createClient, type LiveTopicClient, type Message } from '@livetopic/core'
import { describe, expect, it } from 'vitest'
import { useMosquittoSuite } from '../helpers/mosquitto-suite.js'
import { eventually, waitFor } from '../helpers/wait.js'

const fast = { initialDelay: 50, maxDelay: 300 }

describe.each([4, 5] as const)('Mosquitto, MQTT protocol level %i', (protocolVersion) => {
  const suite = useMosquittoSuite()
  const clients = suite.clients
  const client = (): LiveTopicClient => {
    const created = createClient({ url: suite.mosquitto.url, protocolVersion, reconnect: fast })
    clients.push(created)
    return created
  }
  const collect = <T>(live: LiveTopicClient, filter: string, qos: 0 | 1 = 0): { messages: Message<T>[]; off: () => void } => {
    const messages: Message<T>[] = []
    const off = live.onMessage<T>(filter, (m) => messages.push(m), { qos })
    return { messages, off }
  }

  it('delivers to exact, wildcard and named-parameter subscriptions', async () => {
    const live = client()
    const exact = live.topic<{ n: number }>('core/rooms/lobby/messages')
    const plus = live.topic<{ n: number }>('core/rooms/+room/messages')
    const hash = live.topic<{ n: number }>('core/#rest')
    const offs = [exact, plus, hash].map((s) => s.listen(() => {}))
    await Promise.all([exact, plus, hash].map((s) => waitFor(s, (v) => v.status === 'subscribed')))
    await live.publish('core/rooms/lobby/messages', { n: 1 }, { qos: 1 })
    expect((await waitFor(exact, (v) => v.data !== undefined)).data).toEqual({ n: 1 })
    expect((await waitFor(plus, (v) => v.data !== undefined)).message?.params).toEqual({ room: 'lobby' })
    expect((await waitFor(hash, (v) => v.data !== undefined)).message?.params).toEqual({ rest: 'rooms/lobby/messages' })
    offs.forEach((off) => off())
  })

  it('"a/#" also matches "a" (MQTT 4.7.1.2; AWS IoT Core differs, Mosquitto and aedes follow the spec)', async () => {
    const live = client()
    const got = collect<string>(live, 'parent/#')
    await eventually(() => live.status.get().status === 'connected')
    await live.publish('parent', 'p', { qos: 1 })
    await live.publish('parent/child', 'c', { qos: 1 })
    await eventually(() => got.messages.length === 2)
    expect(got.messages.map((m) => m.topic)).toEqual(['parent', 'parent/child'])
    got.off()
  })

  it('gives a new subscriber the retained message, on exact and wildcard filters (spec; AWS IoT: exact only)', async () => {
    const writer = client()
    await writer.publish('retained/device-1/state', { on: true }, { qos: 1, retain: true })
    const reader = client()
    const exact = reader.topic<{ on: boolean }>('retained/device-1/state')
    const wild = reader.topic<{ on: boolean }>('retained/+id/state')
    const offs = [exact.listen(() => {}), wild.listen(() => {})]
    const [e, w] = await Promise.all([waitFor(exact, (v) => v.data !== undefined), waitFor(wild, (v) => v.data !== undefined)])
    expect(e.message?.retained).toBe(true)
    expect(w.message?.params).toEqual({ id: 'device-1' })
    // an empty retained payload deletes it
    await writer.publish('retained/device-1/state', new Uint8Array(0), { qos: 1, retain: true, codec: binaryCodec })
    offs.forEach((off) => off())
  })

  it('publishes and receives at QoS 1', async () => {
    const live = client()
    const got = collect<{ i: number }>(live, 'qos1/+', 1)
    await eventually(() => live.status.get().status === 'connected')
    await eventually(async () => {
      // the subscription is in place once a probe comes back
      await live.publish('qos1/probe', { i: -1 }, { qos: 1 })
      return got.messages.length > 0
    })
    got.messages.length = 0
    await Promise.all(Array.from({ length: 50 }, (_, i) => live.publish('qos1/x', { i }, { qos: 1 })))
    await eventually(() => got.messages.length === 50)
    expect(got.messages.map((m) => m.payload.i)).toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect(got.messages.every((m) => m.qos === 1)).toBe(true)
    got.off()
  })

  it('reconnects after the broker restarts and restores subscriptions', async () => {
    const live = client()
    const store = live.topic<{ step: number }>('restart/state')
    const off = store.listen(() => {})
    await waitFor(store, (v) => v.status === 'subscribed')
    await suite.mosquitto.kill('SIGKILL')
    await waitFor(live.status, (s) => s.status === 'reconnecting')
    await waitFor(store, (v) => v.status === 'subscribing')
    await suite.mosquitto.restart()
    await waitFor(live.status, (s) => s.status === 'connected', 10_000)
    await waitFor(store, (v) => v.status === 'subscribed')
    const other = client()
    await other.publish('restart/state', { step: 2 }, { qos: 1 })
    expect((await waitFor(store, (v) => v.data !== undefined)).data).toEqual({ step: 2 })
    expect(store.get().error).toBeUndefined()
    off()
  })

  it('queues publishes while offline and sends them in order after reconnecting', async () => {
    const reader = client()
    const store = reader.topic<number>('queue/+', { qos: 1, history: 20 })
    const off = store.listen(() => {})
    await waitFor(store, (v) => v.status === 'subscribed')
    // the writer may only come back once the reader has resubscribed (clean sessions: nothing is kept)
    let readerBack = true
    const writer = createClient({
      url: async () => {
        await eventually(() => readerBack, 10_000)
        return suite.mosquitto.url
      },
      protocolVersion,
      reconnect: fast,
    })
    clients.push(writer)
    await writer.publish('queue/warm-up', -1, { qos: 1 })
    readerBack = false
    await suite.mosquitto.kill('SIGKILL')
    await waitFor(writer.status, (s) => s.status !== 'connected')
    await waitFor(store, (v) => v.status === 'subscribing')
    const sent = Array.from({ length: 20 }, (_, i) => writer.publish(`queue/${i % 2}`, i, { qos: 1 }))
    await suite.mosquitto.restart()
    await waitFor(store, (v) => v.status === 'subscribed', 10_000)
    readerBack = true
    await Promise.all(sent)
    const { history } = await waitFor(store, (v) => v.history.length === 20 && v.history[0]?.payload !== -1, 10_000)
    const byTopic = (t: string): number[] => history.filter((m) => m.topic === t).map((m) => m.payload)
    expect(byTopic('queue/0')).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18])
    expect(byTopic('queue/1')).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19])
    off()
  }, 20_000)
})
