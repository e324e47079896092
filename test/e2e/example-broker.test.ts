import { createClient, type LiveTopicClient } from '@livetopic/core'
import { iotCustomAuthorizer } from '@livetopic/core/aws'
import { afterEach, describe, expect, it } from 'vitest'
import type { RunningBroker } from '@livetopic/broker'
import { AUTHORIZER_NAME, MAX_TEXT, topics, type ChatMessage, type Roster } from '../../examples/shared/config.js'
import { startExampleBroker } from '../../examples/shared/broker-setup.js'
import { fetchDevToken } from '../../examples/shared/dev-token.js'
import { clientIdOf } from '../../examples/shared/identity.js'
import { RosterState } from '../../examples/shared/roster.js'
import { eventually, sleep, waitFor } from '../helpers/wait.js'

// The examples' broker set-up (authorizer + rules) in Node, without a browser: the parts the
// Chromium spec does not reach (refusals, validation, stale lifecycle events).

const clients: LiveTopicClient[] = []
const brokers: RunningBroker[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  await Promise.all(brokers.splice(0).map((b) => b.close()))
})

async function useExampleBroker(): Promise<RunningBroker> {
  const broker = await startExampleBroker(0, { logger: 'silent' })
  brokers.push(broker)
  return broker
}

/** `name` signed in with the broker's development identity provider, connected as `<userId>_<device>`. */
async function signedIn(broker: RunningBroker, name: string, device = '1'): Promise<LiveTopicClient> {
  const { sub } = await fetchDevToken(broker.httpUrl, name)
  return connect(broker.url, clientIdOf(sub, device), async () => (await fetchDevToken(broker.httpUrl, name)).idToken)
}

function connect(url: string, clientId: string, token: string | (() => Promise<string>)): LiveTopicClient {
  const client = createClient({
    url: iotCustomAuthorizer({ endpoint: url, authorizerName: AUTHORIZER_NAME, token }),
    clientId,
    reconnect: { initialDelay: 50, maxDelay: 200 },
  })
  clients.push(client)
  return client
}

describe('the examples broker set-up', { timeout: 20_000 }, () => {
  it('refuses a connection with an unknown token', async () => {
    const broker = await useExampleBroker()
    const intruder = connect(broker.url, 'dev-0000000000000000_1', 'not-a-token')
    intruder.connect()
    const state = await waitFor(intruder.status, (s) => s.status === 'failed')
    expect(state.error?.code).toBe('NOT_AUTHORIZED')
  })

  it('broadcasts valid chat input with the author taken from the topic, and drops the rest', async () => {
    const broker = await useExampleBroker()
    const reader = await signedIn(broker, 'Reader')
    const writer = await signedIn(broker, 'Writer')
    const room = reader.topic<ChatMessage>(topics.room, { history: 10 })
    const off = room.listen(() => {})
    await waitFor(room, (s) => s.status === 'subscribed')

    const input = topics.input(writer.clientId)
    await writer.publish(input, { name: 'Writer', text: '   ' }, { qos: 1 })
    await writer.publish(input, { name: 'Writer', text: 'x'.repeat(MAX_TEXT + 1) }, { qos: 1 })
    await writer.publish(input, 'not json', { qos: 1 })
    await writer.publish(input, { name: 'Writer', text: ' hello ', clientId: 'Someone-else' }, { qos: 1 })

    const state = await waitFor(room, (s) => s.history.length >= 1)
    await sleep(200) // nothing else may follow
    expect(room.get().history.map((m) => [m.payload.clientId, m.payload.name, m.payload.text])).toEqual([[writer.clientId, 'Writer', 'hello']])
    expect(state.data?.at).toBeTypeOf('number')
    off()
  })

  it('lets a browser publish only to its own input topic', async () => {
    const broker = await useExampleBroker()
    const writer = await signedIn(broker, 'Writer')
    await writer.publish(topics.input(writer.clientId), { name: 'Writer', text: 'mine' }, { qos: 1 })
    await expect(
      writer.publish(topics.input(clientIdOf((await fetchDevToken(broker.httpUrl, 'Other')).sub, '1')), { name: 'Writer', text: 'theirs' }, { qos: 1 }),
    ).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' })
    await expect(writer.publish(topics.room, { name: 'Writer', text: 'direct' }, { qos: 1 })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' })
  })

  it('keeps a retained roster from lifecycle events, so a late tab sees who is already here', async () => {
    const broker = await useExampleBroker()
    const alice = await signedIn(broker, 'Alice')
    const bob = await signedIn(broker, 'Bob')
    alice.connect()
    bob.connect()
    await Promise.all([waitFor(alice.status, (s) => s.status === 'connected'), waitFor(bob.status, (s) => s.status === 'connected')])

    const late = await signedIn(broker, 'Late')
    const roster = late.topic<Roster>(topics.roster)
    const off = roster.listen(() => {})
    const ids = (): string[] => roster.get().data?.members.map((m) => m.clientId) ?? []
    await eventually(() => [alice, bob, late].every((c) => ids().includes(c.clientId)), 5000, 'the roster to list all three')
    expect(roster.get().message?.retained).toBe(true)

    await bob.close()
    await eventually(() => !ids().includes(bob.clientId), 5000, 'Bob to leave the roster')
    expect(ids().sort()).toEqual([alice.clientId, late.clientId].sort())
    off()
  })
})

describe('RosterState', () => {
  const event = (clientId: string, eventType: string, timestamp: number, versionNumber?: number) => ({
    clientId,
    eventType,
    timestamp,
    ...(versionNumber === undefined ? {} : { versionNumber }),
  })

  it('ignores repeated and out-of-order lifecycle events', () => {
    const roster = new RosterState()
    expect(roster.apply(event('A-1', 'connected', 100, 1))).toBe(true)
    expect(roster.apply(event('A-1', 'connected', 100, 1))).toBe(false) // twice
    expect(roster.apply(event('A-1', 'disconnected', 200, 1))).toBe(true)
    expect(roster.apply(event('A-1', 'connected', 150, 1))).toBe(false) // late connect of the same connection
    expect(roster.apply(event('A-1', 'connected', 300, 2))).toBe(true) // a new connection
    expect(roster.apply(event('A-1', 'disconnected', 250, 1))).toBe(false) // the old one's late disconnect
    expect(roster.snapshot(400).members.map((m) => m.clientId)).toEqual(['A-1'])
  })

  it('orders by time when events carry no version, and leaves devices out', () => {
    const roster = new RosterState()
    roster.apply(event('B-1', 'connected', 100))
    expect(roster.apply(event('B-1', 'disconnected', 90))).toBe(false)
    expect(roster.apply(event('telemetry-1', 'connected', 100))).toBe(false)
    expect(roster.snapshot(200)).toEqual({ members: [{ clientId: 'B-1', connectedAt: 100 }], timestamp: 200 })
  })
})
