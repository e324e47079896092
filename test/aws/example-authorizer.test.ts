import { createClient, type ConnectionState, type LiveTopicClient } from '@livetopic/core'
import { awsIotProfile, iotCustomAuthorizer } from '@livetopic/core/aws'
import type { RunningBroker } from '@livetopic/broker'
import { afterEach, describe, expect, it } from 'vitest'
import { startExampleBroker } from '../../examples/shared/broker-setup.js'
import { AUTHORIZER_NAME, topics, type ChatMessage } from '../../examples/shared/config.js'
import { fetchDevToken } from '../../examples/shared/dev-token.js'
import { clientIdOf, privateTopicOf } from '../../examples/shared/identity.js'
import { eventually, sleep, waitFor } from '../helpers/wait.js'

// The example's JWT authorizer on the stand-in, end to end: users sign in with the broker's
// development identity provider (real RS256 JWTs), connect with the real client, and the policy
// keeps each of them to their own client ids and topics.

const brokers: RunningBroker[] = []
const clients: LiveTopicClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  await Promise.all(brokers.splice(0).map((b) => b.close()))
})

async function useExampleBroker(...args: Parameters<typeof startExampleBroker>): Promise<RunningBroker> {
  const broker = await startExampleBroker(...args)
  brokers.push(broker)
  return broker
}

/** A signed-in user: their id (the token's `sub`) and a token provider asking the dev issuer on every connect. */
async function signIn(broker: RunningBroker, name: string) {
  const tokens: string[] = []
  const token = async (): Promise<string> => {
    const { idToken } = await fetchDevToken(broker.httpUrl, name)
    tokens.push(idToken)
    return idToken
  }
  const { sub } = await fetchDevToken(broker.httpUrl, name)
  return { userId: sub, token, tokens }
}

function connect(broker: RunningBroker, clientId: string, token: string | (() => Promise<string>)): LiveTopicClient {
  const client = createClient({
    url: iotCustomAuthorizer({ endpoint: broker.url, authorizerName: AUTHORIZER_NAME, token }),
    clientId,
    // IoT allows 1 CONNECT per second per client id (the stand-in enforces it): the profile paces to it
    profile: awsIotProfile,
    reconnect: { initialDelay: 50, maxDelay: 2000 },
  })
  clients.push(client)
  client.connect()
  return client
}

const connected = (client: LiveTopicClient) => waitFor(client.status, (s) => s.status === 'connected')
const failed = (client: LiveTopicClient) => waitFor(client.status, (s) => s.status === 'failed')

describe('the example authorizer (JWT) on the stand-in', { timeout: 60_000 }, () => {
  it('lets a user connect only as their own client ids', async () => {
    const broker = await useExampleBroker(0, { logger: 'silent' })
    const alice = await signIn(broker, 'Alice')
    const bob = await signIn(broker, 'Bob')
    await connected(connect(broker, clientIdOf(alice.userId, 'tab1'), alice.token))
    const asBob = connect(broker, clientIdOf(bob.userId, 'tab1'), alice.token)
    expect((await failed(asBob)).error?.code).toBe('NOT_AUTHORIZED')
    // a prefix of Bob's id is no way in either: `_` ends the user id
    const prefix = connect(broker, `${alice.userId}x_tab1`, alice.token)
    expect((await failed(prefix)).error?.code).toBe('NOT_AUTHORIZED')
    expect(broker.connections().map((c) => c.clientId)).toEqual([clientIdOf(alice.userId, 'tab1')])
  })

  it('lets a user read their private topic, never another user’s', async () => {
    const broker = await useExampleBroker(0, { logger: 'silent' })
    const alice = await signIn(broker, 'Alice')
    const bob = await signIn(broker, 'Bob')
    const bobClient = connect(broker, clientIdOf(bob.userId, 'tab1'), bob.token)
    const own = bobClient.topic<{ n: number }>(privateTopicOf(bob.userId))
    const offOwn = own.listen(() => {})
    await waitFor(own, (s) => s.status === 'subscribed')

    const aliceClient = connect(broker, clientIdOf(alice.userId, 'tab1'), alice.token)
    const spy = aliceClient.topic<{ n: number }>(privateTopicOf(bob.userId))
    const spyAll = aliceClient.topic<{ n: number }>('users/#')
    const offSpy = spy.listen(() => {})
    const offAll = spyAll.listen(() => {})
    expect((await waitFor(spy, (s) => s.status === 'error')).error?.code).toBe('NOT_AUTHORIZED')
    expect((await waitFor(spyAll, (s) => s.status === 'error')).error?.code).toBe('NOT_AUTHORIZED')

    // the backend writes to Bob's inbox (Data Plane API): Bob gets it, Alice's connection does not
    const response = await fetch(`${broker.httpUrl}/topics/${encodeURIComponent(privateTopicOf(bob.userId))}?qos=1`, { method: 'POST', body: '{"n":1}' })
    expect(response.status).toBe(200)
    await waitFor(own, (s) => s.data?.n === 1)
    await sleep(200)
    expect(spy.get().data).toBeUndefined()
    expect(spyAll.get().data).toBeUndefined()
    offOwn()
    offSpy()
    offAll()
  })

  it('lets a user publish only on their own input topic: nobody posts chat as someone else', async () => {
    const broker = await useExampleBroker(0, { logger: 'silent' })
    const alice = await signIn(broker, 'Alice')
    const bob = await signIn(broker, 'Bob')
    const bobId = clientIdOf(bob.userId, 'tab1')
    const reader = connect(broker, bobId, bob.token)
    const room = reader.topic<ChatMessage>(topics.room, { history: 10 })
    const off = room.listen(() => {})
    await waitFor(room, (s) => s.status === 'subscribed')

    const aliceId = clientIdOf(alice.userId, 'tab1')
    const writer = connect(broker, aliceId, alice.token)
    await expect(writer.publish(topics.input(bobId), { name: 'Bob', text: 'forged' }, { qos: 1 })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' })
    await expect(writer.publish(topics.room, { name: 'Bob', text: 'direct' }, { qos: 1 })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' })
    await expect(writer.publish(privateTopicOf(bob.userId), { n: 2 }, { qos: 1 })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' })
    await writer.publish(topics.input(aliceId), { name: 'Alice', text: 'hello' }, { qos: 1 })
    await waitFor(room, (s) => s.history.length >= 1)
    await sleep(200)
    // the rule takes the author from the topic: only Alice's own line, under her client id
    expect(room.get().history.map((m) => [m.payload.clientId, m.payload.text])).toEqual([[aliceId, 'hello']])
    off()
  })

  it('refuses a client without a valid token, and a device without the device secret', async () => {
    const broker = await useExampleBroker(0, { logger: 'silent' }, { deviceToken: 'device-secret-for-test' })
    expect((await failed(connect(broker, 'dev-0000000000000000_tab1', 'not-a-jwt'))).error?.code).toBe('NOT_AUTHORIZED')
    expect((await failed(connect(broker, 'telemetry-1', 'device-secret-for-tesT'))).error?.code).toBe('NOT_AUTHORIZED')
    const device = connect(broker, 'telemetry-1', 'device-secret-for-test')
    await connected(device)
    await device.publish(topics.telemetry, { seq: 1, value: 1, at: 1 }, { qos: 1 })
    await expect(device.publish(topics.input('telemetry-1'), { name: 'x', text: 'y' }, { qos: 1 })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' })
    // a user's token does not make a device
    const alice = await signIn(broker, 'Alice')
    expect((await failed(connect(broker, 'telemetry-2', alice.token))).error?.code).toBe('NOT_AUTHORIZED')
  })

  it('ends the connection when the token expires; the client comes back with a fresh token and no error', async () => {
    const broker = await useExampleBroker(
      0,
      { logger: 'silent', devIdentity: { tokenTtlSeconds: 2 }, testing: { allowShortDurations: true } },
      { minSessionSeconds: 1 },
    )
    const alice = await signIn(broker, 'Alice')
    const reasons: unknown[] = []
    broker.events.on('lifecycle', (e) => {
      if (e.payload.eventType === 'disconnected') reasons.push(e.payload.disconnectReason)
    })
    const client = connect(broker, clientIdOf(alice.userId, 'tab1'), alice.token)
    const states: ConnectionState[] = []
    client.status.listen((s) => states.push(s))
    await connected(client)
    const first = alice.tokens.at(-1)
    await eventually(() => reasons.includes('CUSTOMAUTH_TTL_EXPIRATION'), 8000, 'the token’s expiry to end the connection')
    await eventually(() => client.status.get().status === 'connected' && alice.tokens.at(-1) !== first, 8000, 'a reconnect with a fresh token')
    expect(client.status.get().error).toBeUndefined()
    expect(states.some((s) => s.status === 'failed' || s.error?.code === 'NOT_AUTHORIZED')).toBe(false)
  })
})
