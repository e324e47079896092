// createClient({ onEvent }): what a user debugging a connection sees, redacted.
import { LiveTopicError, type LiveTopicEvent } from '@livetopic/core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useClient } from '../helpers/clients.js'
import { FakeTransport } from '../helpers/fake-transport.js'
import { tick } from '../helpers/tick.js'

beforeEach(() => vi.useFakeTimers())
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('onEvent', () => {
  it('reports attempts, provider timing, CONNACK, SUBSCRIBE/SUBACK, UNSUBSCRIBE, queue sizes and reconnect delays', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const fake = new FakeTransport({
      connect: (n) => (n === 1 ? { refuse: new LiveTopicError('CONNECTION_FAILED', 'refused', { reasonCode: 3 }) } : { accept: true }),
      suback: (filter) => (filter === 'denied' ? 0x80 : 1),
    })
    const events: LiveTopicEvent[] = []
    const live = useClient(
      {
        url: async () => {
          await new Promise((r) => setTimeout(r, 30))
          return 'wss://broker.example/mqtt?token=SECRET-TOKEN'
        },
        reconnect: { initialDelay: 100 },
        unsubscribeDelay: 10,
        onEvent: (event) => events.push(event),
      },
      fake.factory,
    )
    const publishing = live.publish('orders', 1, { qos: 1 })
    const off = live.topic('ok', { qos: 1 }).listen(() => {})
    live.topic('denied').listen(() => {})
    await tick(30)
    await tick(50 + 30)
    await publishing
    off()
    await tick(10)
    expect(events).toEqual([
      { type: 'connect-attempt', attempt: 1 },
      { type: 'queue', queued: 1, inflight: 0 },
      { type: 'url-resolved', ms: 30, url: 'wss://broker.example/mqtt?***' },
      { type: 'connect-failed', error: expect.objectContaining({ code: 'CONNECTION_FAILED', reasonCode: 3 }) as unknown },
      { type: 'reconnect-scheduled', attempt: 1, delay: 50, offline: false },
      { type: 'connect-attempt', attempt: 2 },
      { type: 'url-resolved', ms: 30, url: 'wss://broker.example/mqtt?***' },
      { type: 'connack', sessionPresent: false },
      { type: 'queue', queued: 0, inflight: 1 },
      {
        type: 'subscribe',
        filters: [
          { filter: 'ok', qos: 1 },
          { filter: 'denied', qos: 0 },
        ],
        isolated: false,
      },
      { type: 'queue', queued: 0, inflight: 0 },
      {
        type: 'suback',
        results: [
          { filter: 'ok', code: 1 },
          { filter: 'denied', code: 0x80 },
        ],
      },
      { type: 'unsubscribe', filters: ['ok'] },
    ])
    expect(JSON.stringify(events)).not.toContain('SECRET-TOKEN')
  })

  it('reports the provider failing, a drop, a suspect and the forbidden inference', async () => {
    const fake = new FakeTransport({ onSubscribe: (filters) => (filters.includes('private') ? 'drop' : 'answer') })
    const events: LiveTopicEvent[] = []
    let calls = 0
    const live = useClient(
      {
        url: () => {
          if (++calls === 1) throw new Error('no token yet (token=abc123secret)')
          return 'ws://broker.test/mqtt'
        },
        reconnect: { initialDelay: 100, maxDelay: 100 },
        onEvent: (event) => events.push(event),
      },
      fake.factory,
    )
    live.topic('private').listen(() => {})
    await tick(1000)
    const types = events.map((e) => e.type)
    expect(types.slice(0, 2)).toEqual(['connect-attempt', 'url-failed'])
    expect(events[1]).toMatchObject({ type: 'url-failed', error: { code: 'URL_PROVIDER_FAILED' } })
    expect(JSON.stringify(events)).not.toContain('abc123secret')
    // each strike is given at the CONNACK after the drop, once the broker proved it was there all along
    expect(events.filter((e) => e.type === 'suspect' || e.type === 'forbidden' || e.type === 'dropped').map((e) => e.type)).toEqual([
      'dropped',
      'suspect',
      'dropped',
      'forbidden',
    ])
    expect(events).toContainEqual({ type: 'subscribe', filters: [{ filter: 'private', qos: 0 }], isolated: true })
  })

  it('a refused login reports gave-up with the CONNACK code', async () => {
    const fake = new FakeTransport({ connect: () => ({ refuse: new LiveTopicError('NOT_AUTHORIZED', 'bad user name or password', { reasonCode: 4 }) }) })
    const events: LiveTopicEvent[] = []
    const live = useClient({ url: 'ws://broker.test/mqtt', onEvent: (event) => events.push(event) }, fake.factory)
    live.connect()
    await tick(0)
    expect(events.slice(-2)).toEqual([
      { type: 'connect-failed', error: expect.objectContaining({ code: 'NOT_AUTHORIZED', reasonCode: 4 }) as unknown },
      { type: 'gave-up', error: expect.objectContaining({ code: 'NOT_AUTHORIZED' }) as unknown },
    ])
  })
})
