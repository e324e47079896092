import { createClient, textCodec, topicReady, type LiveTopicClient, type TopicState } from '@livetopic/core'
import { awsIotProfile, presence } from '@livetopic/core/aws'
import type { RunningBroker } from '@livetopic/broker'
import mqtt from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { waitFor } from '../helpers/wait.js'

const clients: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
})
function client(url: string, extra: Partial<Parameters<typeof createClient>[0]> = {}): LiveTopicClient {
  const live = createClient({ url, unsubscribeDelay: 50, ...extra })
  clients.push(live)
  return live
}
/** Publishes the way a backend does: a raw MQTT.js client. */
async function publish(broker: RunningBroker, topic: string, payload: string, retain = false): Promise<void> {
  const raw = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 })
  await raw.publishAsync(topic, payload, { qos: 1, retain })
  await raw.endAsync()
}

describe('seeds', () => {
  it('gives a store the seed as data, marked seeded, with no message and an empty history', () => {
    const live = client('ws://127.0.0.1:9/mqtt', { seed: { 'news/latest': { text: 'hello' } } })
    const state = live.topic('news/latest', { history: 5 }).get()
    expect(state).toEqual({ status: 'idle', data: { text: 'hello' }, history: [], seeded: true })
    expect(state.message).toBeUndefined()
    // other filters are untouched
    expect(live.topic('news/other').get()).toEqual({ status: 'idle', history: [] })
  })

  it('is replaced by the first retained message, which drops seeded and starts the history', async () => {
    const broker = await useBroker()
    await publish(broker, 'news/latest', JSON.stringify({ text: 'retained' }), true)
    const live = client(broker.url, { seed: { 'news/latest': { text: 'seed' } } })
    const store = live.topic<{ text: string }>('news/latest', { history: 3 })
    const seen: TopicState<{ text: string }>[] = []
    store.subscribe((s) => seen.push(s))
    const state = await waitFor(store, (s) => s.message !== undefined)
    expect(state.data).toEqual({ text: 'retained' })
    expect(state.seeded).toBeUndefined()
    expect('seeded' in state).toBe(false)
    expect(state.history.map((m) => m.payload)).toEqual([{ text: 'retained' }])
    // the seed showed until then, never an empty state (no flicker)
    expect(seen.every((s) => s.data !== undefined)).toBe(true)
    expect(seen[0]).toMatchObject({ data: { text: 'seed' }, seeded: true })
  })

  it('keeps the seeded data and carries the error when a live payload does not decode', async () => {
    const broker = await useBroker()
    const live = client(broker.url, { seed: { 'news/latest': { text: 'seed' } } })
    const store = live.topic('news/latest')
    store.listen(() => {})
    await waitFor(store, (s) => s.status === 'subscribed')
    await publish(broker, 'news/latest', 'not json{')
    const state = await waitFor(store, (s) => s.error !== undefined)
    expect(state.error?.code).toBe('DECODE_FAILED')
    expect(state).toMatchObject({ data: { text: 'seed' }, seeded: true })
  })

  it('ignores a seed given after a message arrived (live beats seed), and forgets a seed once live data came', async () => {
    const broker = await useBroker()
    const live = client(broker.url)
    const store = live.topic('news/latest')
    store.listen(() => {})
    await waitFor(store, (s) => s.status === 'subscribed')
    await publish(broker, 'news/latest', JSON.stringify('live'))
    await waitFor(store, (s) => s.data === 'live')
    live.seed({ 'news/latest': 'late seed' })
    expect(store.get()).toMatchObject({ data: 'live' })
    expect(store.get().seeded).toBeUndefined()
    // a store made now shares the subscription (no retained message comes again): it starts empty, not from the stale seed
    expect(live.topic('news/latest', { history: 2 }).get().data).toBeUndefined()

    // a seed that was standing is spent by the first message: later stores do not start from it
    const other = client(broker.url, { seed: { 'news/other': 'seed' } })
    const first = other.topic('news/other')
    first.listen(() => {})
    await waitFor(first, (s) => s.status === 'subscribed')
    await publish(broker, 'news/other', JSON.stringify('live'))
    await waitFor(first, (s) => s.data === 'live')
    expect(other.topic('news/other', { qos: 1 }).get().seeded).toBeUndefined()
  })

  it('applies to every store of the filter, whatever its options, existing now or created later', () => {
    const live = client('ws://127.0.0.1:9/mqtt')
    const before = [live.topic('a/b'), live.topic('a/b', { history: 4 }), live.topic('a/b', { codec: textCodec, qos: 1 })]
    const listening = live.topic('a/b', { qos: 1 })
    const changes: unknown[] = []
    listening.listen((s) => changes.push(s.data))
    live.seed({ 'a/b': [1, 2], 'c/+d': { n: 1 } })
    for (const store of [...before, listening]) expect(store.get()).toMatchObject({ data: [1, 2], seeded: true })
    expect(changes).toEqual([[1, 2]])
    expect(live.topic('a/b', { history: 9 }).get()).toMatchObject({ data: [1, 2], seeded: true })
    // keyed by the exact filter string: named wildcards included
    expect(live.topic('c/+d').get().data).toEqual({ n: 1 })
    expect(live.topic('c/+').get().data).toBeUndefined()
    // a newer seed replaces a standing one; undefined values are skipped
    live.seed({ 'a/b': [3], 'c/+d': undefined })
    expect(live.topic('a/b').get().data).toEqual([3])
    expect(live.topic('c/+d').get().data).toEqual({ n: 1 })
  })

  it('is plain data: a seed that went through JSON (server render to browser) gives the same state', () => {
    const seed = { 'rooms/lobby/messages': { text: 'hi', at: 1 }, 'presence/roster': [{ clientId: 'ada', connectedAt: 5 }] }
    const server = client('ws://127.0.0.1:9/mqtt', { seed })
    const browser = client('ws://127.0.0.1:9/mqtt', { seed: JSON.parse(JSON.stringify(seed)) as typeof seed })
    for (const filter of Object.keys(seed)) expect(browser.topic(filter).get()).toEqual(server.topic(filter).get())
  })

  it('starts presence from a seeded roster, then follows lifecycle events', async () => {
    const broker = await useBroker()
    const roster = { members: [{ clientId: 'ada', connectedAt: 1000 }], timestamp: 1000 }
    const live = client(broker.url, { profile: awsIotProfile, seed: { 'presence/roster': roster } })
    const store = presence(live, { roster: 'presence/roster' })
    // at once, before any socket: what a server render shows
    expect(store.get().members.map((m) => m.clientId)).toEqual(['ada'])
    store.listen(() => {})
    await waitFor(store, (s) => s.status === 'subscribed')
    expect(store.get().members.map((m) => m.clientId)).toEqual(['ada'])
    broker.aedes.publish(
      {
        cmd: 'publish',
        topic: '$aws/events/presence/connected/bob',
        payload: Buffer.from(JSON.stringify({ clientId: 'bob', timestamp: 2000, eventType: 'connected', versionNumber: 1 })),
        qos: 0,
        retain: false,
        dup: false,
      },
      () => {},
    )
    const state = await waitFor(store, (s) => s.members.length === 2)
    expect(state.members.map((m) => m.clientId)).toEqual(['ada', 'bob'])
  })

  it('seeds presence when the roster seed comes after the presence store was made', () => {
    const live = client('ws://127.0.0.1:9/mqtt', { profile: awsIotProfile, reconnect: { initialDelay: 10_000 } })
    const store = presence(live, { roster: 'presence/roster' })
    store.listen(() => {})
    expect(store.get().members).toEqual([])
    live.seed({ 'presence/roster': ['ada', 'bob'] })
    expect(store.get().members.map((m) => m.clientId)).toEqual(['ada', 'bob'])
  })
})

describe('topicReady (what Suspense waits on)', () => {
  it('is undefined for a seeded store, else one promise per store that listens until data comes', async () => {
    const broker = await useBroker()
    const live = client(broker.url, { seed: { seeded: 1 } })
    expect(topicReady(live.topic('seeded'))).toBeUndefined()
    const store = live.topic('news/latest')
    const waiting = topicReady(store)
    expect(waiting).toBeInstanceOf(Promise)
    expect(topicReady(store)).toBe(waiting)
    // nothing else listens: the promise's own listener made the store subscribe
    await waitFor(store, (s) => s.status === 'subscribed')
    await publish(broker, 'news/latest', JSON.stringify('live'))
    await waiting
    expect(store.get().data).toBe('live')
    expect(topicReady(store)).toBeUndefined()
  })
})
