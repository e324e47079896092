import { createClient, type LiveTopicClient } from '@livetopic/core'
import { awsIotProfile, presence, type PresenceState } from '@livetopic/core/aws'
import type { RunningBroker } from '@livetopic/broker'
import { afterEach, describe, expect, it } from 'vitest'
import { PresenceTracker } from '../../packages/core/src/aws/presence-tracker.js'
import { countPackets, useBroker } from '../helpers/broker.js'
import { eventually, sleep, waitFor } from '../helpers/wait.js'

const clients: LiveTopicClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
})

// The payloads IoT Core publishes (developer guide, "Lifecycle events").
const connected = (clientId: string, timestamp: number, versionNumber: number) => ({
  clientId,
  timestamp,
  eventType: 'connected',
  sessionIdentifier: '00000000-0000-0000-0000-000000000000',
  principalIdentifier: `principal${clientId}`,
  ipAddress: '192.0.2.10',
  versionNumber,
})
const disconnected = (clientId: string, timestamp: number, versionNumber: number) => ({
  clientId,
  timestamp,
  eventType: 'disconnected',
  sessionIdentifier: '00000000-0000-0000-0000-000000000000',
  principalIdentifier: `principal${clientId}`,
  clientInitiatedDisconnect: true,
  disconnectReason: 'CLIENT_INITIATED_DISCONNECT',
  versionNumber,
})

/** Publishes as the broker itself does (server side), the way IoT Core emits lifecycle events. */
function emit(broker: RunningBroker, topic: string, payload: unknown, retain = false): Promise<void> {
  return new Promise((resolve, reject) =>
    broker.aedes.publish(
      { cmd: 'publish', topic, payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)), qos: 0, retain, dup: false },
      (error?: Error) => (error ? reject(error) : resolve()),
    ),
  )
}
const event = (broker: RunningBroker, payload: ReturnType<typeof connected> | ReturnType<typeof disconnected>) =>
  emit(broker, `$aws/events/presence/${payload.eventType}/${payload.clientId}`, payload)

const ids = (state: PresenceState): string[] => state.members.map((m) => m.clientId)

async function watch(broker: RunningBroker, roster?: string) {
  const live = createClient({ url: broker.url, profile: awsIotProfile, reconnect: { initialDelay: 20, maxDelay: 100 } })
  clients.push(live)
  const store = presence(live, roster === undefined ? {} : { roster })
  const off = store.listen(() => {})
  await waitFor(store, (s) => s.status === 'subscribed')
  return { live, store, off }
}

describe('presence', () => {
  it('lists connected clients from lifecycle events, sorted by connection time, with principal and IP', async () => {
    const broker = await useBroker()
    const { store } = await watch(broker)
    await event(broker, connected('bob', 2000, 1))
    await event(broker, connected('alice', 1000, 1))
    const state = await waitFor(store, (s) => s.members.length === 2)
    expect(state.members).toEqual([
      { clientId: 'alice', principalId: 'principalalice', connectedAt: 1000, ipAddress: '192.0.2.10' },
      { clientId: 'bob', principalId: 'principalbob', connectedAt: 2000, ipAddress: '192.0.2.10' },
    ])
    await event(broker, disconnected('alice', 3000, 1))
    expect(ids(await waitFor(store, (s) => s.members.length === 1))).toEqual(['bob'])
  })

  it('drops duplicates and stale events that arrive out of order', async () => {
    const broker = await useBroker()
    const { store } = await watch(broker)
    const changes: string[][] = []
    store.listen((s) => changes.push(ids(s)))
    // carol's disconnect overtakes her connect (same connection, same versionNumber): she never shows
    await event(broker, disconnected('carol', 1100, 3))
    await event(broker, connected('carol', 1000, 3))
    // dave connects twice (a duplicate delivery), then an old connection's disconnect arrives late
    await event(broker, connected('dave', 2000, 5))
    await event(broker, connected('dave', 2000, 5))
    await event(broker, disconnected('dave', 1500, 4))
    // erin: a newer connection's connect arrives before the old connection's connect
    await event(broker, connected('erin', 4000, 2))
    await event(broker, connected('erin', 3000, 1))
    await emit(broker, '$aws/events/presence/connected/marker', connected('marker', 9000, 1))
    const state = await waitFor(store, (s) => s.members.some((m) => m.clientId === 'marker'))
    expect(ids(state)).toEqual(['dave', 'erin', 'marker'])
    expect(state.members.find((m) => m.clientId === 'erin')?.connectedAt).toBe(4000)
    expect(changes.every((list) => !list.includes('carol'))).toBe(true)
  })

  it('seeds members from a retained roster, then follows lifecycle events', async () => {
    const broker = await useBroker()
    await emit(
      broker,
      'app/presence/roster',
      {
        timestamp: 5000,
        members: [
          { clientId: 'ann', connectedAt: 100, principalId: 'p1' },
          { clientId: 'ben', connectedAt: 200 },
        ],
      },
      true,
    )
    const { store } = await watch(broker, 'app/presence/roster')
    const seeded = await waitFor(store, (s) => s.members.length === 2)
    expect(seeded.members).toEqual([
      { clientId: 'ann', connectedAt: 100, principalId: 'p1' },
      { clientId: 'ben', connectedAt: 200 },
    ])
    await event(broker, disconnected('ann', 6000, 1))
    await event(broker, connected('cat', 7000, 1))
    expect(ids(await waitFor(store, (s) => ids(s).join() === 'ben,cat'))).toEqual(['ben', 'cat'])
    // a newer roster without ben says he left
    await emit(broker, 'app/presence/roster', { timestamp: 8000, members: [{ clientId: 'cat', connectedAt: 7000 }] }, true)
    expect(ids(await waitFor(store, (s) => s.members.length === 1))).toEqual(['cat'])
  })

  it('after a reconnect that lost the session, starts over from the roster', async () => {
    const broker = await useBroker()
    const connections: { close(): void }[] = []
    broker.aedes.on('client', (c) => connections.push(c))
    await emit(broker, 'app/roster', [{ clientId: 'ann', connectedAt: 100 }], true)
    const { live, store } = await watch(broker, 'app/roster')
    await event(broker, connected('tmp', 200, 1))
    expect(ids(await waitFor(store, (s) => s.members.length === 2))).toEqual(['ann', 'tmp'])
    // tmp leaves while we are cut off: its disconnect is lost, but the backend's roster knows
    for (const c of connections) c.close()
    await waitFor(live.status, (s) => s.status !== 'connected')
    expect(ids(store.get())).toEqual(['ann', 'tmp']) // kept, not flashed empty, while offline
    const fresh = await waitFor(store, (s) => s.status === 'subscribed' && s.members.length === 1)
    expect(ids(fresh)).toEqual(['ann'])
  })

  it('a payload of the wrong shape sets error and keeps the members', async () => {
    const broker = await useBroker()
    const { store } = await watch(broker)
    await event(broker, connected('zed', 1, 1))
    await waitFor(store, (s) => s.members.length === 1)
    await emit(broker, '$aws/events/presence/connected/zed', { eventType: 'connected' })
    const state = await waitFor(store, (s) => s.error !== undefined)
    expect(state.error?.code).toBe('DECODE_FAILED')
    expect(ids(state)).toEqual(['zed'])
  })

  it('gives the same store for the same client and options, and subscribes once while listened to', async () => {
    const broker = await useBroker()
    const seen = countPackets(broker)
    const live = createClient({ url: broker.url, profile: awsIotProfile, unsubscribeDelay: 10 })
    clients.push(live)
    expect(presence(live)).toBe(presence(live, {}))
    expect(presence(live, { roster: 'r' })).toBe(presence(live, { roster: 'r' }))
    expect(presence(live, { roster: 'r' })).not.toBe(presence(live))
    // reading it once subscribes to nothing (and opens no socket)
    expect(presence(live).get()).toMatchObject({ status: 'idle', members: [] })
    await sleep(50)
    expect(live.status.get().status).toBe('idle')
    const offA = presence(live).listen(() => {})
    const offB = presence(live).listen(() => {})
    await waitFor(presence(live), (s) => s.status === 'subscribed')
    await event(broker, connected('kim', 1, 1))
    await waitFor(presence(live), (s) => s.members.length === 1)
    offA()
    offB()
    // a remount before the UNSUBSCRIBE keeps the members (React StrictMode, route changes)
    const offC = presence(live).listen(() => {})
    expect(ids(presence(live).get())).toEqual(['kim'])
    offC()
    await eventually(() => seen.unsubscribes.length === 1)
    expect(seen.subscribes).toEqual([['$aws/events/presence/+/+']])
    expect(seen.unsubscribes).toEqual([['$aws/events/presence/+/+']])
    expect(presence(live).get().status).toBe('idle')
  })
})

describe('PresenceTracker', () => {
  it('orders by versionNumber, then disconnect over connect; falls back to timestamps', () => {
    const t = new PresenceTracker()
    expect(t.apply({ clientId: 'a', connected: true, timestamp: 10, version: 2 })).toBe(true)
    expect(t.apply({ clientId: 'a', connected: true, timestamp: 10, version: 2 })).toBe(false) // duplicate
    expect(t.apply({ clientId: 'a', connected: false, timestamp: 5, version: 1 })).toBe(false) // older connection
    expect(t.apply({ clientId: 'a', connected: false, timestamp: 11, version: 2 })).toBe(true)
    expect(t.apply({ clientId: 'a', connected: true, timestamp: 10, version: 2 })).toBe(false) // its connect, late
    expect(t.members()).toEqual([])
    t.apply({ clientId: 'b', connected: true, timestamp: 20 })
    expect(t.apply({ clientId: 'b', connected: false, timestamp: 19 })).toBe(false)
    expect(t.members().map((m) => m.clientId)).toEqual(['b'])
  })

  it('forgets the oldest departed clients beyond its bound', () => {
    const t = new PresenceTracker()
    for (let i = 0; i < 1500; i++) t.apply({ clientId: `c${i}`, connected: false, timestamp: i, version: 1 })
    // c0 was forgotten: an old connect for it is accepted again; c1499 is still remembered
    expect(t.apply({ clientId: 'c1499', connected: true, timestamp: 0, version: 1 })).toBe(false)
    expect(t.apply({ clientId: 'c0', connected: true, timestamp: 0, version: 1 })).toBe(true)
  })
})
