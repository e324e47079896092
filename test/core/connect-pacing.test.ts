// Pacing CONNECTs to AWS IoT Core's 1 per second per client id (awsIotProfile), and a CONNACK that
// says "throttled" (3.1.1 code 3, MQTT 5 0x88/0x89/0x97/0x9F): retried with backoff, never an auth
// failure, and no evidence in the forbidden-topic inference. Fake transport, fake timers.
import { LiveTopicError, mqttProfile, type LiveTopicEvent } from '@livetopic/core'
import { awsIotProfile } from '@livetopic/core/aws'
import { connectPause, isConnectThrottled } from '@livetopic/core/internal'
import { MAX_CONNECTS_PER_SECOND_PER_CLIENT_ID } from '@livetopic/iot'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useClient } from '../helpers/clients.js'
import { FakeTransport, type FakeScript } from '../helpers/fake-transport.js'
import { tick } from '../helpers/tick.js'

beforeEach(() => vi.useFakeTimers())
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

const QUOTA_MS = 1000 / MAX_CONNECTS_PER_SECOND_PER_CLIENT_ID
const reconnect = { initialDelay: 100, maxDelay: 100 }
/** A CONNACK refusal as both transports report it. */
const refusedWith = (code: number): LiveTopicError =>
  new LiveTopicError(code === 5 ? 'NOT_AUTHORIZED' : 'CONNECTION_FAILED', `the broker refused the connection (code ${code})`, { reasonCode: code })

/** A fake transport that notes the (fake) time of every CONNECT. */
function timedFake(script: FakeScript = {}): { fake: FakeTransport; starts: number[] } {
  const starts: number[] = []
  const fake = new FakeTransport({
    ...script,
    connect: (n, url, credentials) => {
      starts.push(Date.now())
      return script.connect?.(n, url, credentials) ?? { accept: true }
    },
  })
  return { fake, starts }
}
const gaps = (starts: number[]): number[] => starts.slice(1).map((at, i) => at - starts[i]!)

describe('connectPause and isConnectThrottled', () => {
  it('waits out the rest of the interval since the last start, and nothing without one', () => {
    expect(connectPause(undefined, 1000, 5000)).toBe(0)
    expect(connectPause(5000, 1000, 5250)).toBe(750)
    expect(connectPause(5000, 1000, 6000)).toBe(0)
    expect(connectPause(5000, 0, 5000)).toBe(0)
  })

  it('knows the throttling CONNACK codes of both versions, and nothing else', () => {
    for (const code of [3, 0x88, 0x89, 0x97, 0x9f]) expect(isConnectThrottled(refusedWith(code))).toBe(true)
    for (const code of [1, 2, 5, 0x80, 0x87]) expect(isConnectThrottled(refusedWith(code))).toBe(false)
    // the same numbers as a DISCONNECT of a live connection are a drop, not a refused attempt
    expect(isConnectThrottled(new LiveTopicError('CONNECTION_LOST', 'busy', { reasonCode: 0x89 }))).toBe(false)
    expect(isConnectThrottled(undefined)).toBe(false)
  })
})

describe('awsIotProfile paces CONNECTs of one client id', () => {
  it('declares the quota as minConnectInterval; the plain MQTT profile does not pace', () => {
    expect(awsIotProfile.minConnectInterval).toBe(QUOTA_MS)
    expect(mqttProfile.minConnectInterval ?? 0).toBe(0)
  })

  it('after a drop 10 ms into a connection: the rest of the second, then the jitter beyond it', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const { fake, starts } = timedFake()
    const events: LiveTopicEvent[] = []
    const live = useClient({ url: 'ws://broker.test/mqtt', profile: awsIotProfile, reconnect, onEvent: (e) => events.push(e) }, fake.factory)
    live.connect()
    await tick(10)
    fake.drop()
    await tick(QUOTA_MS - 10 + 49)
    expect(starts.length).toBe(1)
    await tick(1)
    // from the previous CONNECT (answered at once here): the quota, then the jitter (random 0.5 of 100 ms)
    expect(gaps(starts)).toEqual([QUOTA_MS + 50])
    expect(events.find((e) => e.type === 'reconnect-scheduled')).toMatchObject({ delay: QUOTA_MS - 10 + 50 })
    expect(live.status.get().status).toBe('connected')
  })

  it('without the profile the same drop reconnects within the jitter (what IoT would throttle)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const { fake, starts } = timedFake()
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect }, fake.factory)
    live.connect()
    await tick(10)
    fake.drop()
    await tick(QUOTA_MS)
    expect(gaps(starts)).toEqual([10 + 50])
  })

  it('counts from the CONNACK, not the start: a slow handshake does not shorten the gap the broker sees', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const { fake, starts } = timedFake({ connect: (n) => (n === 1 ? 'hang' : { accept: true }) })
    const live = useClient({ url: 'ws://broker.test/mqtt', profile: awsIotProfile, reconnect }, fake.factory)
    live.connect()
    await tick(300) // the first CONNECT reaches the broker late, say at 290 ms: answered at 300
    fake.completeConnect()
    await tick(10)
    fake.drop()
    await tick(QUOTA_MS - 11)
    expect(starts.length).toBe(1)
    await tick(1)
    expect(gaps(starts)).toEqual([300 + QUOTA_MS])
  })

  it('never two CONNECTs less than the quota apart, whatever the backoff draws, over many failures', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const { fake, starts } = timedFake({ connect: (n) => (n % 3 === 0 ? { accept: true } : { refuse: refusedWith(3) }) })
    const live = useClient({ url: 'ws://broker.test/mqtt', profile: awsIotProfile, reconnect }, fake.factory)
    live.connect()
    // every third attempt connects and is dropped 5 ms later; the others are throttled
    for (let i = 0; i < 8; i++) {
      await tick(3 * QUOTA_MS + 5)
      fake.drop()
    }
    expect(starts.length).toBeGreaterThan(15)
    for (const gap of gaps(starts)) expect(gap).toBeGreaterThanOrEqual(QUOTA_MS)
  })

  it('reconnect() right after a refused login waits too (the first CONNECT took the second), and close() ends the wait', async () => {
    const { fake, starts } = timedFake({ connect: (n) => (n === 1 ? { refuse: refusedWith(5) } : { accept: true }) })
    const live = useClient({ url: 'ws://broker.test/mqtt', profile: awsIotProfile, reconnect }, fake.factory)
    live.connect()
    await tick(20)
    expect(live.status.get()).toMatchObject({ status: 'failed', error: { code: 'NOT_AUTHORIZED' } })
    live.reconnect()
    await tick(QUOTA_MS - 21)
    expect(starts.length).toBe(1)
    await tick(1)
    expect(gaps(starts)).toEqual([QUOTA_MS])
    expect(live.status.get().status).toBe('connected')

    // a pending pause is the state's timer: close() clears it and nothing opens after
    fake.drop()
    live.reconnect() // during the backoff wait: straight to the paced CONNECT
    await tick(0)
    await live.close()
    expect(vi.getTimerCount()).toBe(0)
    await tick(5000)
    expect(starts.length).toBe(2)
  })
})

describe('a throttled CONNACK', () => {
  it.each([
    ['3.1.1 code 3 (AWS IoT Core)', 3],
    ['MQTT 5 0x88 server unavailable (the stand-in)', 0x88],
    ['MQTT 5 0x89 server busy', 0x89],
    ['MQTT 5 0x97 quota exceeded', 0x97],
    ['MQTT 5 0x9F connection rate exceeded', 0x9f],
  ])('%s: reconnecting with backoff, not failed, and connected once the broker lets us', async (_, code) => {
    const { fake, starts } = timedFake({ connect: (n) => (n <= 2 ? { refuse: refusedWith(code) } : { accept: true }) })
    const live = useClient({ url: 'ws://broker.test/mqtt', profile: awsIotProfile, reconnect }, fake.factory)
    live.connect()
    await tick(1)
    expect(live.status.get()).toMatchObject({ status: 'connecting', error: { code: 'CONNECTION_FAILED', reasonCode: code } })
    await tick(5000)
    expect(live.status.get().status).toBe('connected')
    expect(starts.length).toBe(3)
    for (const gap of gaps(starts)) expect(gap).toBeGreaterThanOrEqual(QUOTA_MS)
  })

  it('is no evidence about the last drop: a forbidden SUBSCRIBE is still refused across throttled reconnects', async () => {
    // IoT under 3.1.1 hangs up on a forbidden SUBSCRIBE; every reconnect right after is throttled once
    let throttleNext = false
    const fake = new FakeTransport({
      connect: () => {
        if (!throttleNext) return { accept: true }
        throttleNext = false
        return { refuse: refusedWith(3) }
      },
      onSubscribe: (filters) => {
        if (!filters.includes('private/x')) return 'answer'
        throttleNext = true
        return 'drop'
      },
    })
    const events: LiveTopicEvent[] = []
    const live = useClient({ url: 'ws://broker.test/mqtt', profile: awsIotProfile, reconnect, onEvent: (e) => events.push(e) }, fake.factory)
    const allowed = live.topic('public/a')
    const forbidden = live.topic('private/x')
    allowed.listen(() => {})
    forbidden.listen(() => {})
    await tick(20_000)
    expect(forbidden.get()).toMatchObject({ status: 'error', error: { code: 'NOT_AUTHORIZED', topic: 'private/x' } })
    expect(allowed.get().status).toBe('subscribed')
    expect(live.status.get().status).toBe('connected')
    expect(events.filter((e) => e.type === 'forbidden')).toEqual([{ type: 'forbidden', kind: 'subscribe', topic: 'private/x' }])
    // two drops, each followed by one throttled and one good attempt: then it stays
    expect(fake.opens.length).toBe(5)
  })

  it('neither ends nor extends a takeover run (two holders of one id are throttled too)', async () => {
    // each quick drop is followed by one throttled attempt, as two clients sharing an id would meet
    let throttleNext = false
    const fake = new FakeTransport({
      connect: () => {
        if (!throttleNext) return { accept: true }
        throttleNext = false
        return { refuse: refusedWith(3) }
      },
    })
    const live = useClient({ url: 'ws://broker.test/mqtt', clientId: 'shared-id', profile: awsIotProfile, reconnect }, fake.factory)
    live.connect()
    for (let i = 0; i < 4; i++) {
      await tick(0)
      expect(live.status.get().status).toBe('connected')
      await tick(50)
      throttleNext = true
      fake.drop()
      await tick(2 * QUOTA_MS + 200)
    }
    expect(live.status.get()).toMatchObject({ status: 'failed', error: { code: 'CLIENT_ID_CONFLICT' } })
  })
})
