import type { ConnectionState, LiveTopicClient } from '@livetopic/core'
import type { RunningBroker } from '@livetopic/broker'
import { afterEach, describe, expect, it } from 'vitest'
import { startExampleBroker } from '../../examples/shared/broker-setup.js'
import { topics } from '../../examples/shared/config.js'
import { fetchDevToken } from '../../examples/shared/dev-token.js'
import { clientIdOf, privateTopicOf } from '../../examples/shared/identity.js'
import { join, type Session } from '../../examples/shared/session.js'
import { sleep, waitFor } from '../helpers/wait.js'

// the input topic and a forbidden one are not in the app's topic map: publish as an untyped client
const untyped = (client: object): LiveTopicClient => client as LiveTopicClient

// The examples speak MQTT 5 (examples/shared/session.ts), as AWS IoT Core does over WSS with custom
// auth: a topic the policy forbids is refused with SUBACK 0x87 on that topic alone, while the
// connection and every other topic stay up. (Under MQTT 3.1.1 IoT hangs up instead, and the client
// has to infer which topic it was from two drops and reconnects.)

const brokers: RunningBroker[] = []
const sessions: Session[] = []
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.client.close()))
  await Promise.all(brokers.splice(0).map((b) => b.close()))
})

/** `name` signed in with the example broker's development identity provider, joined as the example apps do. */
async function joined(broker: RunningBroker, name: string): Promise<Session> {
  const { sub } = await fetchDevToken(broker.httpUrl, name)
  const token = async (): Promise<string> => (await fetchDevToken(broker.httpUrl, name)).idToken
  const session = join({ name, userId: sub, clientId: clientIdOf(sub, 'mqtt5') }, token, broker.url)
  sessions.push(session)
  return session
}

describe('the examples over MQTT 5', { timeout: 30_000 }, () => {
  it('a forbidden topic is an error on that topic; the connection stays up and the other topics deliver', async () => {
    // the example broker with IoT's quotas on, as `npm run dev` starts it
    const broker = await startExampleBroker(0, { logger: 'silent' })
    brokers.push(broker)
    const connects: string[] = []
    broker.events.on('lifecycle', (event) => {
      if (event.payload.eventType === 'connected') connects.push(String(event.payload.clientId))
    })
    const { sub: otherUser } = await fetchDevToken(broker.httpUrl, 'Other')
    const ada = await joined(broker, 'Ada')
    const states: ConnectionState[] = []
    ada.client.status.listen((state) => states.push(state))

    const room = ada.client.topic(topics.room, { history: 5 })
    const forbidden = ada.client.topic<{ n: number }>(privateTopicOf(otherUser))
    const ownTopic = privateTopicOf(ada.clientId.split('_')[0]!)
    const own = ada.client.topic<{ n: number }>(ownTopic)
    const offs = [room.listen(() => {}), forbidden.listen(() => {}), own.listen(() => {})]

    const refused = await waitFor(forbidden, (s) => s.status === 'error')
    expect(refused.error).toMatchObject({ name: 'LiveTopicError', code: 'NOT_AUTHORIZED', topic: privateTopicOf(otherUser), reasonCode: 0x87 })
    await waitFor(room, (s) => s.status === 'subscribed')
    await waitFor(own, (s) => s.status === 'subscribed')

    // the other topics keep delivering on the same connection: chat through the room rule...
    await untyped(ada.client).publish(topics.input(ada.clientId), { name: 'Ada', text: 'still here' }, { qos: 1 })
    const chat = await waitFor(room, (s) => s.history.length >= 1)
    expect(chat.history.map((m) => m.payload.text)).toEqual(['still here'])
    // ...and the user's own private topic, written by the backend through the HTTP Data Plane API
    const post = await fetch(`${broker.httpUrl}/topics/${encodeURIComponent(ownTopic)}?qos=1`, {
      method: 'POST',
      body: JSON.stringify({ n: 1 }),
    })
    expect(post.ok).toBe(true)
    expect((await waitFor(own, (s) => s.data !== undefined)).data).toEqual({ n: 1 })

    // a forbidden QoS 1 publish is refused on its own too (PUBACK 0x87), nothing hangs up
    await expect(untyped(ada.client).publish(topics.room, { name: 'Ada', text: 'direct' }, { qos: 1 })).rejects.toMatchObject({
      code: 'NOT_AUTHORIZED',
      reasonCode: 0x87,
    })

    await sleep(300) // a drop and reconnect would show by now
    expect(ada.client.status.get().status).toBe('connected')
    // one connection the whole time: never left `connected`, one CONNECT, one connection on the broker
    const since = states.findIndex((s) => s.status === 'connected')
    expect(since).toBeGreaterThanOrEqual(0)
    expect(states.slice(since).filter((s) => s.status !== 'connected')).toEqual([])
    expect(connects).toEqual([ada.clientId])
    expect(broker.connections().map((c) => c.clientId)).toEqual([ada.clientId])
    // the refusal stays on its topic: the store is not retried into a loop, and its error is kept
    expect(forbidden.get()).toMatchObject({ status: 'error', error: { code: 'NOT_AUTHORIZED' } })
    for (const off of offs) off()
  })
})
