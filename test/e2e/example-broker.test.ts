import { createClient, type LiveTopicClient } from '@livetopic/core'
import { awsIotProfile, iotCustomAuthorizer } from '@livetopic/core/aws'
import { afterEach, describe, expect, it } from 'vitest'
import type { RunningBroker } from '@livetopic/broker'
import { AUTHORIZER_NAME, MAX_TEXT, topics, type ChatMessage, type Roster } from '../../examples/shared/config.js'
import { startExampleBroker } from '../../examples/shared/broker-setup.js'
import { fetchDevToken } from '../../examples/shared/dev-token.js'
import { clientIdOf } from '../../examples/shared/identity.js'
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
  // IoT's quotas on, 1 CONNECT/s per client id included: the clients' awsIotProfile paces their
  // reconnects (after a forbidden publish closed the connection, say) to it
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
    profile: awsIotProfile,
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
    const throttled: string[] = []
    broker.events.on('denied', (d) => d.resource === 'client id' && throttled.push(d.reason))
    const writer = await signedIn(broker, 'Writer')
    await writer.publish(topics.input(writer.clientId), { name: 'Writer', text: 'mine' }, { qos: 1 })
    await expect(
      writer.publish(topics.input(clientIdOf((await fetchDevToken(broker.httpUrl, 'Other')).sub, '1')), { name: 'Writer', text: 'theirs' }, { qos: 1 }),
    ).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' })
    await expect(writer.publish(topics.room, { name: 'Writer', text: 'direct' }, { qos: 1 })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' })
    // each refusal closed the connection (MQTT 3.1.1) twice; every reconnect was paced to the quota
    expect(throttled).toEqual([])
  })

  it('keeps a retained roster from lifecycle events, so a late tab sees who is already here', async () => {
    const broker = await useExampleBroker()
    const alice = await signedIn(broker, 'Alice')
    const bob = await signedIn(broker, 'Bob')
    alice.connect()
    bob.connect()
    await Promise.all([waitFor(alice.status, (s) => s.status === 'connected'), waitFor(bob.status, (s) => s.status === 'connected')])

    // the presence rule's Lambda has retained a roster with both (read through the Data Plane API)
    const retained = async (): Promise<string[]> => {
      const res = await fetch(`${broker.httpUrl}/retainedMessage/${encodeURIComponent(topics.roster)}`)
      if (!res.ok) return []
      const body = (await res.json()) as { payload: string }
      return (JSON.parse(Buffer.from(body.payload, 'base64').toString('utf8')) as Roster).members.map((m) => m.clientId)
    }
    await eventually(async () => (await retained()).length === 2, 10_000, 'the retained roster to list Alice and Bob')

    const late = await signedIn(broker, 'Late')
    const roster = late.topic<Roster>(topics.roster)
    const firsts: { retained: boolean; ids: string[] }[] = []
    const off = roster.listen((s) => {
      if (s.message && firsts.length === 0) firsts.push({ retained: s.message.retained, ids: s.message.payload.members.map((m) => m.clientId) })
    })
    const ids = (): string[] => roster.get().data?.members.map((m) => m.clientId) ?? []
    await eventually(() => [alice, bob, late].every((c) => ids().includes(c.clientId)), 10_000, 'the roster to list all three')
    // the late tab's first roster is the retained one, already listing who was here
    expect(firsts[0]?.retained).toBe(true)
    expect(firsts[0]?.ids).toEqual(expect.arrayContaining([alice.clientId, bob.clientId]))

    await bob.close()
    await eventually(() => !ids().includes(bob.clientId), 10_000, 'Bob to leave the roster')
    expect(ids().sort()).toEqual([alice.clientId, late.clientId].sort())
    off()
  })
})
