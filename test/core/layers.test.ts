// Subscriptions, publishes and the suspect tracker on a fake transport and fake timers: the
// two-strike NOT_AUTHORIZED inference, unsubscribeDelay and the offline queue.
import { LiveTopicError, type LiveTopicEvent } from '@livetopic/core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useClient } from '../helpers/clients.js'
import { FakeTransport, type FakeScript } from '../helpers/fake-transport.js'
import { tick } from '../helpers/tick.js'

beforeEach(() => vi.useFakeTimers())
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

const reconnect = { initialDelay: 100, maxDelay: 100 }
const filtersOf = (fake: FakeTransport): string[][] => fake.subscribes.map((batch) => batch.map((s) => s.filter))

describe('two strikes: a drop in answer to a SUBSCRIBE (AWS IoT Core under MQTT 3.1.1)', () => {
  it('suspect at the first drop, sent alone, refused at the second; the other filters are unaffected', async () => {
    // the broker hangs up on every SUBSCRIBE that holds the forbidden filter
    const fake = new FakeTransport({ onSubscribe: (filters) => (filters.includes('private/x') ? 'drop' : 'answer') })
    const events: LiveTopicEvent[] = []
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect, onEvent: (e) => events.push(e) }, fake.factory)
    const allowed = live.topic('public/a')
    const forbidden = live.topic('private/x')
    allowed.listen(() => {})
    forbidden.listen(() => {})
    await tick(0)
    expect(filtersOf(fake)).toEqual([['public/a', 'private/x']])
    // first drop: both were in flight, both are suspects; each goes alone, one at a time
    await tick(10_000)
    expect(filtersOf(fake)).toEqual([
      ['public/a', 'private/x'], // the broker hangs up: both are suspects
      ['public/a'], // each suspect alone, the next only after the SUBACK
      ['private/x'], // the broker hangs up again: refused
      ['public/a'], // restored on the fresh session, without the refused one
    ])
    expect(forbidden.get()).toMatchObject({ status: 'error', error: { code: 'NOT_AUTHORIZED', topic: 'private/x' } })
    expect(allowed.get().status).toBe('subscribed')
    expect(fake.opens.length).toBe(3) // no reconnect loop
    expect(events.filter((e) => e.type === 'forbidden')).toEqual([{ type: 'forbidden', kind: 'subscribe', topic: 'private/x' }])
  })

  it('one drop is not enough: a filter granted after a single drop stays subscribed', async () => {
    let dropped = false
    const fake = new FakeTransport({
      onSubscribe: () => {
        if (dropped) return 'answer'
        dropped = true
        return 'drop'
      },
    })
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect }, fake.factory)
    const store = live.topic('flaky/network')
    store.listen(() => {})
    await tick(200)
    expect(store.get().status).toBe('subscribed')
    expect(store.get().error).toBeUndefined()
  })
})

describe('drops that are not a refusal strike nothing', () => {
  // the broker hangs up on every SUBSCRIBE of the filter, as IoT does on a forbidden one; what
  // differs is what the reconnect shows
  const hangsUp = (): FakeScript => {
    let drops = 0
    return { onSubscribe: () => (drops++ < 3 ? 'drop' : 'answer') }
  }

  it('a drop followed by a refused connect attempt (the broker restarting) is no strike', async () => {
    // every other attempt is refused: after each drop the broker is away for a moment
    const fake = new FakeTransport({
      ...hangsUp(),
      connect: (attempt) => (attempt % 2 === 0 ? { refuse: new LiveTopicError('CONNECTION_FAILED', 'connection refused') } : { accept: true }),
    })
    const events: LiveTopicEvent[] = []
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect, onEvent: (e) => events.push(e) }, fake.factory)
    const store = live.topic('restarting/broker')
    store.listen(() => {})
    await tick(10_000)
    expect(fake.subscribes.length).toBe(4)
    expect(store.get()).toMatchObject({ status: 'subscribed' })
    expect(events.filter((e) => e.type === 'suspect' || e.type === 'forbidden')).toEqual([])
  })

  it('a persistent session that had a subscription, back without sessionPresent (the broker forgot it: restarted), is no strike', async () => {
    let drops = 0
    const fake = new FakeTransport({
      onSubscribe: (filters) => (filters.includes('restarting/broker') && drops++ < 3 ? 'drop' : 'answer'),
      connect: () => ({ accept: true, sessionPresent: false }),
    })
    const events: LiveTopicEvent[] = []
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect, clean: false, clientId: 'kept-1', onEvent: (e) => events.push(e) }, fake.factory)
    live.topic('kept/first').listen(() => {})
    await tick(0)
    expect(live.topic('kept/first').get().status).toBe('subscribed')
    const publish = live.publish('restarting/out', 1, { qos: 1 })
    const store = live.topic('restarting/broker')
    store.listen(() => {})
    await tick(10_000)
    expect(drops).toBe(4)
    expect(store.get()).toMatchObject({ status: 'subscribed' })
    await expect(publish).resolves.toBeUndefined()
    // a drop before the fresh session confirmed anything may still make suspects; none is refused
    expect(events.filter((e) => e.type === 'forbidden')).toEqual([])
  })

  it('under MQTT 5 nothing is inferred from drops: the broker refuses with reason codes', async () => {
    const fake = new FakeTransport(hangsUp())
    const events: LiveTopicEvent[] = []
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect, protocolVersion: 5, onEvent: (e) => events.push(e) }, fake.factory)
    const store = live.topic('v5/topic')
    store.listen(() => {})
    await tick(10_000)
    expect(store.get()).toMatchObject({ status: 'subscribed' })
    expect(events.filter((e) => e.type === 'suspect' || e.type === 'forbidden')).toEqual([])
  })

  it('the same drops with the broker there all along (IoT under 3.1.1) are strikes: suspect, then refused', async () => {
    const fake = new FakeTransport(hangsUp())
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect }, fake.factory)
    const store = live.topic('really/forbidden')
    store.listen(() => {})
    await tick(10_000)
    expect(store.get()).toMatchObject({ status: 'error', error: { code: 'NOT_AUTHORIZED' } })
  })
})

describe('two strikes: a drop in answer to a QoS 1 PUBLISH', () => {
  it('the publish is retried once, alone, then rejected NOT_AUTHORIZED; the ones after it go through', async () => {
    const fake = new FakeTransport({ onPublish: (topic) => (topic === 'forbidden/t' ? 'drop' : 'answer') })
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect }, fake.factory)
    const bad = live.publish('forbidden/t', 1, { qos: 1 })
    const good = live.publish('allowed/t', 2, { qos: 1 })
    const outcome = bad.then(
      () => 'resolved',
      (error: LiveTopicError) => error.code,
    )
    await tick(10_000)
    expect(fake.publishes.map((p) => p.topic)).toEqual([
      'forbidden/t',
      'allowed/t', // the broker hangs up: both are suspects
      'forbidden/t', // alone: the broker hangs up again, it is refused
      'allowed/t', // alone (a suspect too), acknowledged
    ])
    expect(await outcome).toBe('NOT_AUTHORIZED')
    await expect(good).resolves.toBeUndefined()
  })
})

describe('unsubscribeDelay', () => {
  it('UNSUBSCRIBE only after the delay; a listener back within it costs no packet', async () => {
    const fake = new FakeTransport()
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect, unsubscribeDelay: 500 }, fake.factory)
    const store = live.topic('remount/me')
    let off = store.listen(() => {})
    await tick(0)
    expect(store.get().status).toBe('subscribed')
    off()
    await tick(499)
    off = store.listen(() => {}) // a remount (StrictMode, route change)
    await tick(1000)
    expect(fake.unsubscribes).toEqual([])
    expect(fake.subscribes.length).toBe(1)
    off()
    await tick(499)
    expect(fake.unsubscribes).toEqual([])
    await tick(1)
    expect(fake.unsubscribes).toEqual([['remount/me']])
  })

  it('a listener that comes and goes within one tick sends nothing at all', async () => {
    const fake = new FakeTransport()
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect }, fake.factory)
    live.topic('glance').get()
    await tick(5000)
    expect(fake.subscribes).toEqual([])
    expect(fake.opens).toEqual([])
  })
})

describe('offline queue', () => {
  it('keeps queueLimit publishes while disconnected, rejects the next with QUEUE_FULL, sends the rest in order', async () => {
    let up = false
    const fake = new FakeTransport({ connect: () => (up ? { accept: true } : { refuse: new LiveTopicError('CONNECTION_FAILED', 'down') }) })
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect, queueLimit: 3 }, fake.factory)
    const sent = [1, 2, 3].map((n) => live.publish('orders', n, { qos: 1 }))
    await expect(live.publish('orders', 4)).rejects.toMatchObject({ code: 'QUEUE_FULL' })
    await tick(1000)
    expect(fake.publishes).toEqual([])
    up = true
    await tick(100)
    await Promise.all(sent)
    expect(fake.publishes.map((p) => p.payload)).toEqual(['1', '2', '3'])
  })

  it('unacknowledged publishes go out again after a drop, in order, and resolve once', async () => {
    const fake = new FakeTransport({ onPublish: () => 'hold' })
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect }, fake.factory)
    const sent = [1, 2].map((n) => live.publish('orders', n, { qos: 1 }))
    await tick(0)
    await tick(5000) // outside the suspect window: a plain network drop
    fake.drop()
    await tick(100)
    expect(fake.publishes.map((p) => p.payload)).toEqual(['1', '2', '1', '2'])
    fake.answerHeld()
    await expect(Promise.all(sent)).resolves.toEqual([undefined, undefined])
  })
})
