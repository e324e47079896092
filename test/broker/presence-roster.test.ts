import { fileURLToPath } from 'node:url'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { createClient, type LiveTopicClient } from '@livetopic/core'
import { iotCustomAuthorizer } from '@livetopic/core/aws'
import { LambdaRunner, type RunningBroker } from '@livetopic/broker'
import { afterEach, describe, expect, it } from 'vitest'
import { startExampleBroker } from '../../examples/shared/broker-setup.js'
import { AUTHORIZER_NAME, topics, type Roster } from '../../examples/shared/config.js'
import { fetchDevToken } from '../../examples/shared/dev-token.js'
import { clientIdOf } from '../../examples/shared/identity.js'
import { nameLabelOf, nameOf, onePerUser, userOf } from '../../examples/shared/names.js'
import { startLocalPresenceStore, type LocalPresenceStore } from '../../examples/shared/presence-store.js'
import { RosterStore, type LifecycleEvent } from '../../examples/shared/roster.js'
import { useBroker } from '../helpers/broker.js'
import { eventually, waitFor } from '../helpers/wait.js'

// The presence rule as it runs on AWS: many short-lived instances, a roster in DynamoDB (dynalite
// here), events late, twice and out of order; the retained roster must still end as the truth.
const presenceHandler = fileURLToPath(new URL('../../examples/shared/lambda/presence.ts', import.meta.url))

const stores: LocalPresenceStore[] = []
const runners: LambdaRunner[] = []
const clients: LiveTopicClient[] = []
const brokers: RunningBroker[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  await Promise.all(runners.splice(0).map((r) => r.close()))
  await Promise.all(brokers.splice(0).map((b) => b.close()))
  await Promise.all(stores.splice(0).map((s) => s.close()))
})

async function useStore(): Promise<LocalPresenceStore> {
  const store = await startLocalPresenceStore()
  stores.push(store)
  return store
}

function rosterStore(store: LocalPresenceStore): RosterStore {
  const db = new DynamoDBClient({ endpoint: store.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } })
  return new RosterStore(store.table, DynamoDBDocumentClient.from(db))
}

const event = (clientId: string, eventType: 'connected' | 'disconnected', timestamp: number, versionNumber: number): LifecycleEvent => ({
  clientId,
  eventType,
  timestamp,
  versionNumber,
  principalIdentifier: clientId.split('_')[0]!,
})

// Deterministic pseudo-random numbers (mulberry32): a failing run can be replayed
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Who is connected after `events`, by IoT's own order: versionNumber, then disconnect after connect, then time. */
function truthOf(events: readonly LifecycleEvent[]): Map<string, string[]> {
  const newest = new Map<string, LifecycleEvent>()
  const key = (e: LifecycleEvent): [number, number, number] => [e.versionNumber, e.eventType === 'disconnected' ? 1 : 0, e.timestamp]
  const newer = (a: LifecycleEvent, b: LifecycleEvent): boolean => {
    const [x, y] = [key(a), key(b)]
    for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! > y[i]!
    return false
  }
  for (const e of events) {
    const prev = newest.get(e.clientId)
    if (!prev || newer(e, prev)) newest.set(e.clientId, e)
  }
  const users = new Map<string, string[]>()
  for (const e of newest.values()) {
    if (e.eventType !== 'connected') continue
    const user = e.clientId.split('_')[0]!
    users.set(user, [...(users.get(user) ?? []), e.clientId].sort())
  }
  return users
}

const asMap = (roster: Roster): Map<string, string[]> => new Map(roster.members.map((m) => [m.userId, [...m.clientIds].sort()]))
const sorted = (m: Map<string, string[]>): [string, string[]][] => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1))

async function retainedRoster(httpUrl: string): Promise<Roster | undefined> {
  const res = await fetch(`${httpUrl}/retainedMessage/${encodeURIComponent(topics.roster)}`)
  if (res.status === 404) return undefined
  const { payload } = (await res.json()) as { payload: string }
  return JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as Roster
}

/**
 * 100 clients of 25 users (4 devices each), each with 1–4 connections in a row; some reconnects
 * overlap (the new connection's `connected` is stamped before the old one's `disconnected`, as
 * when IoT drops a duplicate client id), and events are repeated up to `total`, then shuffled.
 */
function lifecycleStory(total: number, next: () => number, start = Date.now() - 600_000): LifecycleEvent[] {
  const base: LifecycleEvent[] = []
  for (let u = 0; u < 25; u++) {
    for (let d = 0; d < 4; d++) {
      const clientId = `user${u}_device${d}`
      let t = start + Math.floor(next() * 1000)
      const sessions = 1 + Math.floor(next() * 4)
      for (let v = 1; v <= sessions; v++) {
        base.push(event(clientId, 'connected', t, v))
        const last = v === sessions
        if (last && next() < 0.5) break // still connected at the end
        const overlap = !last && next() < 0.5
        // an overlapping reconnect: the old connection's disconnect is stamped after the new connect
        base.push(event(clientId, 'disconnected', overlap ? t + 150 : t + 50, v))
        t += 100
      }
    }
  }
  const events = [...base]
  while (events.length < total) events.push({ ...base[Math.floor(next() * base.length)]! })
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[events[i], events[j]] = [events[j]!, events[i]!]
  }
  return events
}

describe('RosterStore (DynamoDB, dynalite)', () => {
  it('orders a client’s events by versionNumber, ignores repeats and late ones, and groups clients by user', async () => {
    const roster = rosterStore(await useStore())
    expect(await roster.apply(event('ann_tab1', 'connected', 100, 1))).toBe(1)
    expect(await roster.apply(event('ann_tab1', 'connected', 100, 1))).toBe(0) // twice
    expect(await roster.apply(event('ann_tab1', 'connected', 300, 2))).toBe(2) // a reconnect ...
    expect(await roster.apply(event('ann_tab1', 'disconnected', 350, 1))).toBe(0) // ... before the old one's disconnect
    expect(await roster.apply(event('ann_tab1', 'connected', 90, 1))).toBe(0) // late
    expect(await roster.apply(event('ann_phone', 'connected', 400, 1))).toBe(3)
    expect(await roster.apply(event('bob_tab1', 'connected', 150, 1))).toBe(4)
    expect(await roster.apply(event('bob_tab1', 'disconnected', 140, 1))).toBe(5) // same connection: its disconnect wins
    expect(await roster.apply(event('bob_tab1', 'connected', 160, 1))).toBe(0)
    expect(await roster.apply(event('telemetry-1', 'connected', 100, 1))).toBe(0) // not a participant
    const version = await roster.version()
    expect(version).toBe(5) // one per change: the roster's version
    const now = 1_000_000
    expect(await roster.roster(version, now)).toEqual({
      version: 5,
      timestamp: now,
      members: [{ userId: 'ann', clientId: 'ann_tab1', clientIds: ['ann_tab1', 'ann_phone'], connectedAt: 300, versionNumber: 2, principalId: 'ann' }],
    })
  })

  it('leaves out connections whose entry expired (a disconnect that never came)', async () => {
    const roster = rosterStore(await useStore())
    const long = Date.now() - 26 * 3600_000 // older than IoT's longest WebSocket connection
    await roster.apply(event('old_tab', 'connected', long, 1))
    await roster.apply(event('new_tab', 'connected', Date.now(), 1))
    expect((await roster.roster(2)).members.map((m) => m.userId)).toEqual(['new'])
  })
})

describe('presence rule on Lambda semantics', () => {
  it('8 instances, 1,000 shuffled, repeated and overlapping events for 100 clients: the retained roster ends as the truth', { timeout: 180_000 }, async () => {
    const store = await useStore()
    const broker = await useBroker({ logger: 'silent' })
    const warnings: string[] = []
    const environment = {
      ...store.environment,
      LIVETOPIC_IOT_ENDPOINT: broker.httpUrl,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    }
    const logger = { info() {}, warn: (m: string) => warnings.push(m) }
    const runner = new LambdaRunner({ name: 'presence', entry: presenceHandler, instances: 'warm', concurrency: 8, timeoutMs: 30_000, environment, logger })
    runners.push(runner)
    await runner.prepare()

    const events = lifecycleStory(1000, random(21))
    expect(events).toHaveLength(1000)
    // the story has what it must: repeats, and reconnects whose `connected` comes before the old `disconnected`
    const seen = new Set<string>()
    let repeats = 0
    let reconnectFirst = 0
    for (const [i, e] of events.entries()) {
      const id = `${e.clientId}/${e.eventType}/${e.versionNumber}`
      if (seen.has(id)) repeats++
      seen.add(id)
      if (e.eventType === 'connected' && e.versionNumber > 1) {
        const oldDisconnect = events.findIndex((o) => o.clientId === e.clientId && o.eventType === 'disconnected' && o.versionNumber === e.versionNumber - 1)
        if (oldDisconnect > i) reconnectFirst++
      }
    }
    expect(repeats).toBeGreaterThan(400)
    expect(reconnectFirst).toBeGreaterThan(20)

    const first = events.slice(0, 500)
    const firstResults = await Promise.all(first.map((e) => runner.invoke(e)))
    expect(warnings).toEqual([])
    expect(firstResults.every(Boolean)).toBe(true)
    const midway = await retainedRoster(broker.httpUrl)
    expect(sorted(asMap(midway!))).toEqual(sorted(truthOf(first)))

    // a cold instance joins midway with a repeated and a stale event: nothing changes
    const cold = new LambdaRunner({ name: 'presence-cold', entry: presenceHandler, environment, logger })
    runners.push(cold)
    const stale = first.find((e) => e.versionNumber > 1)!
    expect(await cold.invoke(first[0])).toBe(true)
    expect(await cold.invoke({ ...stale, versionNumber: stale.versionNumber - 1, eventType: 'connected' })).toBe(true)
    expect(await retainedRoster(broker.httpUrl)).toEqual(midway)

    // and the warm ones are replaced by cold ones for the second half
    await runner.retireWarm()
    const second = events.slice(500)
    expect((await Promise.all(second.map((e) => runner.invoke(e)))).every(Boolean)).toBe(true)
    const final = await retainedRoster(broker.httpUrl)
    const truth = truthOf(events)
    expect(truth.size).toBeGreaterThan(5)
    expect(sorted(asMap(final!))).toEqual(sorted(truth))
    expect(final!.version).toBe(await rosterStore(store).version())
    expect(runner.stats()).toMatchObject({ maxConcurrent: 8, failed: 0, timedOut: 0, dropped: 0 })
    expect(runner.stats().started).toBeGreaterThanOrEqual(16)
    expect(warnings).toEqual([])
  })
})

describe('the example app’s presence, end to end', () => {
  it('lists connected users with all their client ids, and empties when they leave', { timeout: 60_000 }, async () => {
    const broker = await startExampleBroker(0, { logger: 'silent' })
    brokers.push(broker)
    // signed in with the example's development identity provider, as the pages are
    const [ann, bob] = await Promise.all(['Ann', 'Bob'].map((name) => fetchDevToken(broker.httpUrl, name)))
    const connect = ([user, device]: [{ sub: string; idToken: string }, string]): LiveTopicClient => {
      const token = user.idToken
      const client = createClient({
        url: iotCustomAuthorizer({ endpoint: broker.url, authorizerName: AUTHORIZER_NAME, token }),
        clientId: clientIdOf(user.sub, device),
      })
      clients.push(client)
      client.connect()
      return client
    }
    const connected = (
      [
        [ann!, 'tab1'],
        [ann!, 'tab2'],
        [bob!, 'phone'],
      ] as const
    ).map((c) => connect([c[0], c[1]]))
    await Promise.all(connected.map((c) => waitFor(c.status, (s) => s.status === 'connected')))
    const members = async (): Promise<[string, string[]][]> => {
      const roster = await retainedRoster(broker.httpUrl)
      return roster ? sorted(asMap(roster)) : []
    }
    await eventually(async () => (await members()).length === 2 && (await members())[0]![1].length === 2, 20_000, 'ann (two tabs) and bob')
    const ids = (user: { sub: string }, ...devices: string[]): [string, string[]] => [user.sub, devices.map((d) => clientIdOf(user.sub, d))]
    expect(await members()).toEqual(sorted(new Map([ids(ann!, 'tab1', 'tab2'), ids(bob!, 'phone')])))
    await connected[0]!.close()
    await eventually(
      async () => JSON.stringify(await members()) === JSON.stringify(sorted(new Map([ids(ann!, 'tab2'), ids(bob!, 'phone')]))),
      20_000,
      'ann on one tab',
    )
    await Promise.all(connected.slice(1).map((c) => c.close()))
    await eventually(async () => (await members()).length === 0, 20_000, 'an empty roster')
  })
})

describe('the example page’s list of who is online', () => {
  it('shows one entry per user, by the name leading the device part', () => {
    const members = [{ clientId: 'dev-1_Ann-tab' }, { clientId: 'dev-2_Bob-phone' }, { clientId: 'dev-1_Ann-laptop' }, { clientId: 'dev-3_k2' }]
    expect(onePerUser(members).map((m) => [userOf(m.clientId), nameOf(m.clientId)])).toEqual([
      ['dev-1', 'Ann'],
      ['dev-2', 'Bob'],
      ['dev-3', 'dev-3'],
    ])
    expect(nameOf('Alice-0003')).toBe('Alice')
    expect(nameLabelOf('Zoë O’Neil')).toBe('ZoeONeil')
    expect(nameLabelOf('山田')).toBe('user')
  })
})
