// The connection's state machine on a fake transport and fake timers: backoff, the reset after
// stableAfter, the takeover count, online/offline, and what `failed` means (no timer pending).
import { LiveTopicError, type ConnectionStatus, type LiveTopicEvent } from '@livetopic/core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useClient } from '../helpers/clients.js'
import { FakeTransport } from '../helpers/fake-transport.js'
import { tick } from '../helpers/tick.js'

beforeEach(() => vi.useFakeTimers())
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

const refused = (message = 'ECONNREFUSED'): { refuse: LiveTopicError } => ({ refuse: new LiveTopicError('CONNECTION_FAILED', message) })
/** The connection lives `lived` ms, then the broker closes it; the client gets a second to come back. */
async function dropAfter(fake: FakeTransport, lived: number): Promise<void> {
  await tick(lived)
  fake.drop()
  await tick(1000)
}
const delaysOf = (events: LiveTopicEvent[]): number[] => events.flatMap((e) => (e.type === 'reconnect-scheduled' ? [e.delay] : []))
const reconnect = { initialDelay: 100, maxDelay: 1000, factor: 2, stableAfter: 5000 }

describe('backoff with full jitter', () => {
  it('waits below a cap that doubles per attempt up to maxDelay (random at its top)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999)
    const fake = new FakeTransport({ connect: () => refused() })
    const events: LiveTopicEvent[] = []
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect, onEvent: (e) => events.push(e) }, fake.factory)
    live.connect()
    await tick(20_000)
    const delays = delaysOf(events)
    expect(delays.slice(0, 6)).toEqual([99, 199, 399, 799, 999, 999])
    // each attempt waited its delay out, not less: the sum of the delays bounds the attempts made
    expect(fake.opens.length).toBe(delays.length)
  })

  it('draws 0 at the bottom of the range, and never reaches the cap', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const fake = new FakeTransport({ connect: (n) => (n <= 3 ? refused() : { accept: true }) })
    const events: LiveTopicEvent[] = []
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect, onEvent: (e) => events.push(e) }, fake.factory)
    live.connect()
    for (let i = 0; i < 10; i++) await tick(1)
    expect(live.status.get().status).toBe('connected')
    expect(delaysOf(events)).toEqual([0, 0, 0])
  })

  it('with real randomness every delay stays in [0, cap)', async () => {
    const fake = new FakeTransport({ connect: () => refused() })
    const events: LiveTopicEvent[] = []
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect, onEvent: (e) => events.push(e) }, fake.factory)
    live.connect()
    await tick(60_000)
    const delays = delaysOf(events)
    expect(delays.length).toBeGreaterThan(20)
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(0)
      expect(delay).toBeLessThan(Math.min(1000, 100 * 2 ** i))
    })
  })

  it('the timer is what starts the next attempt: not a millisecond earlier', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const fake = new FakeTransport({ connect: (n) => (n === 1 ? refused() : { accept: true }) })
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect }, fake.factory)
    live.connect()
    await tick(0)
    expect(live.status.get()).toMatchObject({ status: 'connecting', attempt: 1, error: { code: 'CONNECTION_FAILED' } })
    await tick(49)
    expect(fake.opens.length).toBe(1)
    await tick(1)
    expect(fake.opens.length).toBe(2)
    expect(live.status.get()).toMatchObject({ status: 'connected', attempt: 2 })
  })
})

describe('reset after stableAfter', () => {
  it('a connection that lived stableAfter starts the backoff over; a shorter one does not', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999)
    let accept = true
    const fake = new FakeTransport({ connect: () => (accept ? { accept: true } : refused()) })
    const events: LiveTopicEvent[] = []
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect, onEvent: (e) => events.push(e) }, fake.factory)
    live.connect()
    await tick(0)
    expect(live.status.get()).toMatchObject({ status: 'connected', attempt: 1 })
    // short-lived: the attempt count goes on
    await tick(100)
    fake.drop()
    expect(live.status.get()).toMatchObject({ status: 'reconnecting', attempt: 1 })
    await tick(99)
    expect(live.status.get()).toMatchObject({ status: 'connected', attempt: 2 })
    await tick(4999)
    expect(live.status.get().attempt).toBe(2)
    await tick(1)
    expect(live.status.get().attempt).toBe(0)
    // after the reset, a drop waits the first cap again (without it: 399 after two attempts)
    accept = false
    fake.drop()
    await tick(5000)
    expect(delaysOf(events).slice(0, 4)).toEqual([99, 99, 99, 199])
  })
})

describe('takeover count (fixed client id, MQTT 3.1.1)', () => {
  it('four drops right after connect: failed with CLIENT_ID_CONFLICT, and no timer left', async () => {
    const fake = new FakeTransport()
    const live = useClient({ url: 'ws://broker.test/mqtt', clientId: 'shared-id', reconnect }, fake.factory)
    const statuses: ConnectionStatus[] = []
    live.status.listen((s) => statuses.push(s.status))
    live.connect()
    for (let i = 0; i < 4; i++) {
      await tick(0)
      expect(live.status.get().status).toBe('connected')
      await tick(50)
      fake.drop()
      await tick(1000)
    }
    expect(live.status.get()).toMatchObject({ status: 'failed', error: { code: 'CLIENT_ID_CONFLICT' } })
    expect(vi.getTimerCount()).toBe(0)
    expect(fake.opens.length).toBe(4)
    await tick(60_000)
    expect(fake.opens.length).toBe(4)
    // reconnect() tries again
    live.reconnect()
    await tick(0)
    expect(live.status.get().status).toBe('connected')
  })

  it('drops after a stable connection, or with a random client id, are not counted', async () => {
    const fake = new FakeTransport()
    const fixed = useClient({ url: 'ws://broker.test/mqtt', clientId: 'mine', reconnect }, fake.factory)
    fixed.connect()
    for (let i = 0; i < 4; i++) await dropAfter(fake, 5000)
    expect(fixed.status.get().status).toBe('connected')
    const other = new FakeTransport()
    const random = useClient({ url: 'ws://broker.test/mqtt', reconnect }, other.factory)
    random.connect()
    for (let i = 0; i < 4; i++) await dropAfter(other, 50)
    expect(random.status.get().status).toBe('connected')
  })

  it('drops of connections that outlived a takeover round (yet not stableAfter) are ordinary drops', async () => {
    // a takeover's connection lives for the other side's backoff: below 100·2³ ms + 1 s here.
    // The soak's flaky network dropped connections a few seconds old, three in a row.
    const fake = new FakeTransport()
    const live = useClient({ url: 'ws://broker.test/mqtt', clientId: 'flaky', reconnect }, fake.factory)
    live.connect()
    for (let i = 0; i < 5; i++) {
      await dropAfter(fake, 2000)
      expect(live.status.get().status).toBe('connected')
    }
    // one longer-lived connection breaks a run
    for (const lived of [200, 2000, 200, 200, 200]) await dropAfter(fake, lived)
    expect(live.status.get().status).toBe('connected')
    await dropAfter(fake, 200)
    expect(live.status.get()).toMatchObject({ status: 'failed', error: { code: 'CLIENT_ID_CONFLICT' } })
  })

  it('a failed attempt between quick drops ends the run: two restarts in a row are no takeover', async () => {
    // the CI soak: restarts 2.3 s apart, each followed by attempts refused while the broker is down
    let accept = true
    let refusals = 0
    const fake = new FakeTransport({ connect: () => (accept ? { accept: true } : (refusals++, refused())) })
    const live = useClient({ url: 'ws://broker.test/mqtt', clientId: 'restarted', reconnect }, fake.factory)
    live.connect()
    // each connection lives 200 ms, then the broker closes it
    const quickDrop = async (refusedFirst: boolean): Promise<void> => {
      accept = !refusedFirst
      const before = refusals
      fake.drop()
      for (let i = 0; i < 50 && refusedFirst && refusals === before; i++) await tick(50)
      accept = true
      for (let i = 0; i < 50 && live.status.get().status !== 'connected'; i++) await tick(100)
      expect(live.status.get().status).toBe('connected')
      await tick(200)
    }
    await tick(200)
    await quickDrop(false)
    await quickDrop(false)
    await quickDrop(true)
    await quickDrop(false)
    await quickDrop(false)
    await quickDrop(false)
    // four in a row with every reconnect at once: a takeover
    await dropAfter(fake, 0)
    expect(live.status.get()).toMatchObject({ status: 'failed', error: { code: 'CLIENT_ID_CONFLICT' } })
  })

  it('a persistent session the broker no longer has ends the run: a restart with a quick recovery is no takeover', async () => {
    let sessionPresent = false
    const fake = new FakeTransport({ connect: () => ({ accept: true, sessionPresent }) })
    const live = useClient({ url: 'ws://broker.test/mqtt', clientId: 'persistent', clean: false, reconnect }, fake.factory)
    live.connect()
    await tick(0)
    const quickDrop = async (forgotten = false): Promise<void> => {
      await tick(200)
      sessionPresent = !forgotten
      fake.drop()
      await tick(1000)
      expect(live.status.get().status).toBe('connected')
    }
    await quickDrop()
    await quickDrop()
    await quickDrop(true)
    await quickDrop()
    await quickDrop()
    await quickDrop()
    // four in a row, the session kept each time: a takeover
    await dropAfter(fake, 200)
    expect(live.status.get()).toMatchObject({ status: 'failed', error: { code: 'CLIENT_ID_CONFLICT' } })
  })
})

describe('online and offline', () => {
  // a wait of a few ms (a draw of 0 would end it inside tick(0) and blur what is being counted)
  beforeEach(() => void vi.spyOn(Math, 'random').mockReturnValue(0.5))

  function goOffline(): { window: EventTarget; listeners: () => number; setOnline: (online: boolean) => void } {
    const window = new EventTarget()
    let count = 0
    const navigator = { onLine: false }
    vi.stubGlobal('navigator', navigator)
    vi.stubGlobal('addEventListener', (type: string, listener: EventListener) => {
      count++
      window.addEventListener(type, listener)
    })
    vi.stubGlobal('removeEventListener', (type: string, listener: EventListener) => {
      count--
      window.removeEventListener(type, listener)
    })
    return { window, listeners: () => count, setOnline: (online) => void (navigator.onLine = online) }
  }

  it('waits offline with one `online` listener however many attempts fail; `online` retries at once', async () => {
    const browser = goOffline()
    const fake = new FakeTransport({ connect: () => refused() })
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect }, fake.factory)
    live.connect()
    await tick(0)
    expect(live.status.get().status).toBe('offline')
    await tick(3000) // the backoff timer still tries now and then
    expect(fake.opens.length).toBeGreaterThan(2)
    expect(browser.listeners()).toBe(1)
    const before = fake.opens.length
    browser.setOnline(true)
    browser.window.dispatchEvent(new Event('online'))
    await tick(0)
    expect(fake.opens.length).toBe(before + 1)
    // online again: no listener left behind
    expect(browser.listeners()).toBe(0)
  })

  it('close() removes the `online` listener and the timer', async () => {
    const browser = goOffline()
    const fake = new FakeTransport({ connect: () => refused() })
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect }, fake.factory)
    live.connect()
    await tick(0)
    expect(browser.listeners()).toBe(1)
    await live.close()
    expect(browser.listeners()).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    expect(live.status.get().status).toBe('offline')
  })
})

describe('the URL provider', () => {
  it('a throwing provider is retried with backoff, its message redacted', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999)
    let calls = 0
    const fake = new FakeTransport()
    const live = useClient(
      {
        url: () => {
          calls++
          if (calls < 4) throw new Error('token endpoint down (token=abc.def.secret)')
          return 'ws://broker.test/mqtt'
        },
        reconnect,
      },
      fake.factory,
    )
    live.connect()
    await tick(0)
    expect(live.status.get()).toMatchObject({ status: 'connecting', error: { code: 'URL_PROVIDER_FAILED' } })
    expect(live.status.get().error?.message).not.toContain('abc.def.secret')
    await tick(98)
    expect(calls).toBe(1)
    await tick(1)
    expect(calls).toBe(2)
    await tick(199 + 399)
    expect(calls).toBe(4)
    expect(live.status.get().status).toBe('connected')
  })

  it('a hanging provider times out after connectTimeout', async () => {
    const fake = new FakeTransport()
    const live = useClient({ url: () => new Promise<string>(() => {}), reconnect: { ...reconnect, connectTimeout: 300 } }, fake.factory)
    live.connect()
    await tick(299)
    expect(live.status.get().error).toBeUndefined()
    await tick(1)
    expect(live.status.get().error?.message).toMatch(/did not answer within 300 ms/)
  })

  it('a refused login stops in failed with no timer; reconnect() asks the provider again', async () => {
    let calls = 0
    const fake = new FakeTransport({
      connect: (_n, url) => (url.includes('token=fresh') ? { accept: true } : { refuse: new LiveTopicError('NOT_AUTHORIZED', 'refused', { reasonCode: 5 }) }),
    })
    const live = useClient({ url: () => `ws://broker.test/mqtt?token=${++calls > 1 ? 'fresh' : 'expired'}`, reconnect }, fake.factory)
    live.connect()
    await tick(0)
    expect(live.status.get()).toMatchObject({ status: 'failed', error: { code: 'NOT_AUTHORIZED' } })
    expect(vi.getTimerCount()).toBe(0)
    await tick(120_000)
    expect(calls).toBe(1)
    live.reconnect()
    await tick(0)
    expect(calls).toBe(2)
    expect(live.status.get()).toMatchObject({ status: 'connected', attempt: 2 })
    expect(live.status.get().error).toBeUndefined()
  })

  it('maxAttempts: failed after that many, with no timer pending', async () => {
    const fake = new FakeTransport({ connect: () => refused() })
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect: { ...reconnect, maxAttempts: 3 } }, fake.factory)
    live.connect()
    await tick(10_000)
    expect(fake.opens.length).toBe(3)
    expect(live.status.get()).toMatchObject({ status: 'failed', attempt: 3, error: { code: 'CONNECTION_FAILED' } })
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('close()', () => {
  it('during a backoff wait: no timer left, status offline, no further attempt', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5) // a 50 ms wait: a draw of 0 would end it within tick(0)
    const fake = new FakeTransport({ connect: () => refused() })
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect }, fake.factory)
    live.connect()
    await tick(0)
    await live.close()
    expect(vi.getTimerCount()).toBe(0)
    await tick(10_000)
    expect(fake.opens.length).toBe(1)
    expect(live.status.get()).toEqual({ status: 'offline', clientId: live.clientId, attempt: 1 })
  })

  it('a CONNACK that arrives after close() is aborted', async () => {
    const fake = new FakeTransport({ connect: () => 'hang' })
    const live = useClient({ url: 'ws://broker.test/mqtt', reconnect }, fake.factory)
    live.connect()
    await tick(0)
    expect(fake.opens.length).toBe(1)
    await live.close()
    expect(fake.closes).toBe(1)
    fake.completeConnect()
    expect(fake.aborts).toBe(1)
    expect(live.status.get().status).toBe('offline')
  })
})
