import { createClient, type LiveTopicClient } from '@livetopic/core'
import { iotCustomAuthorizer } from '@livetopic/core/aws'
import { afterEach, describe, expect, it } from 'vitest'
import { AUTHORIZER_NAME, BROWSER_TOKEN, MAX_TEXT, topics, type ChatMessage, type Roster } from '../../examples/shared/config.js'
import type { RunningBroker } from '@livetopic/broker'
import { startExampleBroker } from '../../examples/shared/broker-setup.js'
import { eventually, sleep, waitFor } from '../helpers/wait.js'

// The examples' broker set-up (authorizer + rules) in Node, without a browser: the parts the
// Chromium spec does not reach (refusals, validation, stale lifecycle events).

const clients: LiveTopicClient[] = []
const brokers: RunningBroker[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  await Promise.all(brokers.splice(0).map((b) => b.close()))
})

// the example's broker with its rules' Lambda instances and the presence table in dynalite
async function useExampleBroker(): Promise<RunningBroker> {
  const broker = await startExampleBroker(0, { logger: 'silent' })
  brokers.push(broker)
  return broker
}

function connect(url: string, clientId: string, token = BROWSER_TOKEN): LiveTopicClient {
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
    const intruder = connect(broker.url, 'Mallory-0001', 'not-a-token')
    intruder.connect()
    const state = await waitFor(intruder.status, (s) => s.status === 'failed')
    expect(state.error?.code).toBe('NOT_AUTHORIZED')
  })

  it('broadcasts valid chat input with the author taken from the verified client id, and drops the rest', async () => {
    const broker = await useExampleBroker()
    const reader = connect(broker.url, 'Reader-0001')
    const writer = connect(broker.url, 'Writer-0001')
    const room = reader.topic<ChatMessage>(topics.room, { history: 10 })
    const off = room.listen(() => {})
    await waitFor(room, (s) => s.status === 'subscribed')

    const input = topics.input('Writer-0001')
    await writer.publish(input, { name: 'Writer', text: '   ' }, { qos: 1 })
    await writer.publish(input, { name: 'Writer', text: 'x'.repeat(MAX_TEXT + 1) }, { qos: 1 })
    await writer.publish(input, 'not json', { qos: 1 })
    await writer.publish(input, { name: 'Writer', text: ' hello ', clientId: 'Someone-else' }, { qos: 1 })

    const state = await waitFor(room, (s) => s.history.length >= 1)
    await sleep(200) // nothing else may follow
    expect(room.get().history.map((m) => [m.payload.clientId, m.payload.name, m.payload.text])).toEqual([['Writer-0001', 'Writer', 'hello']])
    expect(state.data?.at).toBeTypeOf('number')
    off()
  })

  it('lets a browser publish only to its own input topic', async () => {
    const broker = await useExampleBroker()
    const writer = connect(broker.url, 'Writer-0002')
    await writer.publish(topics.input('Writer-0002'), { name: 'Writer', text: 'mine' }, { qos: 1 })
    await expect(writer.publish(topics.input('Other-0002'), { name: 'Writer', text: 'theirs' }, { qos: 1 })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' })
    await expect(writer.publish(topics.room, { name: 'Writer', text: 'direct' }, { qos: 1 })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' })
  })

  it('keeps a retained roster from lifecycle events, so a late tab sees who is already here', async () => {
    const broker = await useExampleBroker()
    const alice = connect(broker.url, 'Alice-0003')
    const bob = connect(broker.url, 'Bob-0003')
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

    const late = connect(broker.url, 'Late-0003')
    const roster = late.topic<Roster>(topics.roster)
    const firsts: { retained: boolean; ids: string[] }[] = []
    const off = roster.listen((s) => {
      if (s.message && firsts.length === 0) firsts.push({ retained: s.message.retained, ids: s.message.payload.members.map((m) => m.clientId) })
    })
    const ids = (): string[] => roster.get().data?.members.map((m) => m.clientId) ?? []
    await eventually(() => ['Alice-0003', 'Bob-0003', 'Late-0003'].every((id) => ids().includes(id)), 10_000, 'the roster to list all three')
    // the late tab's first roster is the retained one, already listing who was here
    expect(firsts[0]?.retained).toBe(true)
    expect(firsts[0]?.ids).toEqual(expect.arrayContaining(['Alice-0003', 'Bob-0003']))

    await bob.close()
    await eventually(() => !ids().includes('Bob-0003'), 10_000, 'Bob to leave the roster')
    expect(ids()).toEqual(['Alice-0003', 'Late-0003'])
    off()
  })
})
