// A throw from user code (store listeners, onMessage, onError, the status store, presence,
// onEvent) is reported with console.error in Node (no reportError there) and reaches nothing
// else: the other listeners get every message, the rest of a SUBACK batch is subscribed, pending
// UNSUBSCRIBEs still go, and nothing becomes an uncaught exception or unhandled rejection (vitest
// fails the run on either).
import { presence } from '@livetopic/core/aws'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { useClient } from '../helpers/clients.js'
import { FakeTransport } from '../helpers/fake-transport.js'
import { tick } from '../helpers/tick.js'

// spied for the whole file: closing a client after each test (useClient) notifies the listeners
// once more, and that report must not reach the real console either
let logged: MockInstance<typeof console.error>
beforeAll(() => {
  logged = vi.spyOn(console, 'error').mockImplementation(() => {})
})
afterAll(() => logged.mockRestore())
beforeEach(() => {
  logged.mockClear()
  vi.useFakeTimers()
})
afterEach(() => vi.useRealTimers())

const boom = (): never => {
  throw new Error('bug in user code')
}
const reports = (): string[] => logged.mock.calls.map((call) => String(call[0]))

describe('listener isolation', () => {
  it('message delivery: a throwing store listener; the other listeners get every message', async () => {
    const fake = new FakeTransport()
    const live = useClient({ url: 'ws://broker.test/mqtt' }, fake.factory)
    const store = live.topic<number>('iso/messages')
    const seen: number[] = []
    const otherStore: number[] = []
    store.listen((state) => {
      if (state.data !== undefined) boom()
    })
    store.listen((state) => void (state.data !== undefined && seen.push(state.data)))
    live.onMessage<number>('iso/#', (m) => void otherStore.push(m.payload))
    await tick(0)
    for (let i = 1; i <= 5; i++) fake.deliver('iso/messages', String(i))
    expect(seen).toEqual([1, 2, 3, 4, 5])
    expect(otherStore).toEqual([1, 2, 3, 4, 5])
    expect(reports()).toHaveLength(5)
    expect(reports()[0]).toContain('bug in user code')
    expect(live.status.get().status).toBe('connected')
  })

  it('topic status: a listener throwing on `subscribed` stops neither the rest of the SUBACK batch nor pending UNSUBSCRIBEs', async () => {
    const fake = new FakeTransport({ onSubscribe: () => 'hold' })
    const live = useClient({ url: 'ws://broker.test/mqtt', unsubscribeDelay: 0 }, fake.factory)
    const throwing = live.topic('batch/a')
    const others = [live.topic('batch/b'), live.topic('batch/c')]
    throwing.listen((state) => {
      if (state.status === 'subscribed') boom()
    })
    others.forEach((s) => s.listen(() => {}))
    const leaving = live.topic('batch/d')
    const off = leaving.listen(() => {})
    await tick(0)
    expect(fake.subscribes.map((b) => b.map((s) => s.filter))).toEqual([['batch/a', 'batch/b', 'batch/c', 'batch/d']])
    off() // leaves while its SUBSCRIBE is in flight: an UNSUBSCRIBE must follow the SUBACK
    await tick(10)
    fake.answerHeld()
    await tick(0)
    expect([throwing, ...others].map((s) => s.get().status)).toEqual(['subscribed', 'subscribed', 'subscribed'])
    expect(fake.unsubscribes).toEqual([['batch/d']])
    expect(reports()).toHaveLength(1)
    // and the client goes on: a later SUBSCRIBE is sent and answered
    const later = live.topic('batch/e')
    later.listen(() => {})
    await tick(0)
    fake.answerHeld()
    await tick(0)
    expect(later.get().status).toBe('subscribed')
  })

  it('errors: a throwing onError (decode failure, refused subscription) and onMessage callback', async () => {
    const fake = new FakeTransport({ suback: (filter) => (filter === 'denied' ? 0x80 : 0) })
    const live = useClient({ url: 'ws://broker.test/mqtt' }, fake.factory)
    const calls: string[] = []
    live.onMessage(
      'cb/json',
      () => {
        calls.push('message')
        boom()
      },
      {
        onError: () => {
          calls.push('error')
          boom()
        },
      },
    )
    live.onMessage('denied', () => {}, { onError: boom })
    const store = live.topic<number>('cb/json')
    store.listen(() => {})
    await tick(0)
    fake.deliver('cb/json', 'not json')
    fake.deliver('cb/json', '7')
    expect(calls).toEqual(['error', 'message'])
    expect(store.get().data).toBe(7)
    expect(reports()).toHaveLength(3) // the refused subscription's onError, the decode error's, the message's
  })

  it('the connection status store: a throwing listener does not stop connecting or subscribing', async () => {
    const fake = new FakeTransport()
    const live = useClient({ url: 'ws://broker.test/mqtt' }, fake.factory)
    const statuses: string[] = []
    live.status.listen(boom)
    live.status.listen((s) => void statuses.push(s.status))
    const store = live.topic('status/t')
    store.listen(() => {})
    await tick(0)
    expect(statuses).toEqual(['connecting', 'connected'])
    expect(store.get().status).toBe('subscribed')
    fake.drop()
    await tick(1000)
    // reconnecting twice: with the drop's error, then with the next attempt's number
    expect(statuses).toEqual(['connecting', 'connected', 'reconnecting', 'reconnecting', 'connected'])
    expect(reports()).toHaveLength(statuses.length)
  })

  it('presence: a throwing listener of the presence store; the others still see every member', async () => {
    const fake = new FakeTransport()
    const live = useClient({ url: 'ws://broker.test/mqtt' }, fake.factory)
    const who = presence(live)
    const seen: string[][] = []
    who.listen(boom)
    who.listen((state) => void seen.push(state.members.map((m) => m.clientId)))
    await tick(0)
    const event = (clientId: string): string => JSON.stringify({ clientId, eventType: 'connected', timestamp: Date.now(), versionNumber: 1 })
    fake.deliver('$aws/events/presence/connected/alice', event('alice'), 1)
    fake.deliver('$aws/events/presence/connected/bob', event('bob'), 1)
    expect(seen.at(-1)).toEqual(['alice', 'bob'])
    expect(reports().length).toBeGreaterThanOrEqual(2)
  })

  it('onEvent: a throwing debug hook changes nothing', async () => {
    const fake = new FakeTransport()
    const live = useClient({ url: 'ws://broker.test/mqtt', onEvent: boom }, fake.factory)
    const store = live.topic('events/t')
    store.listen(() => {})
    await tick(0)
    expect(store.get().status).toBe('subscribed')
    await expect(live.publish('events/t', 1, { qos: 1 })).resolves.toBeUndefined()
    expect(reports().length).toBeGreaterThan(3)
  })
})
