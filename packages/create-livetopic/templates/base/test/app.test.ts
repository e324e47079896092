// The app against the local stand-in: the authorizer, the policy and the chat rule, as on AWS.
import type { RunningBroker } from '@livetopic/broker'
import type { LiveTopicClient } from '@livetopic/core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { startAppBroker } from '../livetopic/broker.js'
import { connect, devSignIn } from '../livetopic/client.js'
import { outboxOf, type AppTopics } from '../livetopic/topics.js'

let broker: RunningBroker
const clients: LiveTopicClient<AppTopics>[] = []

async function signedIn(name: string): Promise<LiveTopicClient<AppTopics>> {
  const user = await devSignIn(broker.url, name)
  // Node 20 has no global WebSocket: pass ws's (browsers and Node 22+ need nothing)
  const client = connect(broker.url, user, () => user.idToken, { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket })
  clients.push(client)
  return client
}

const until = <T>(read: () => T | undefined, ms = 10_000): Promise<T> =>
  new Promise((resolve, reject) => {
    const end = Date.now() + ms
    const poll = (): void => {
      const value = read()
      if (value !== undefined) return resolve(value)
      if (Date.now() > end) return reject(new Error('timed out'))
      setTimeout(poll, 20)
    }
    poll()
  })

beforeAll(async () => {
  broker = await startAppBroker(0, { logger: 'silent' })
})

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()))
  await broker.close()
})

it('a message sent to the outbox reaches the room with its author added by the rule', async () => {
  const ada = await signedIn('Ada')
  const bob = await signedIn('Bob')
  const room = bob.topic('rooms/lobby/messages')
  const off = room.listen(() => {})
  await until(() => (room.get().status === 'subscribed' ? true : undefined))
  // a client connects when first used: this publish opens Ada's connection
  await ada.publish(outboxOf(ada.status.get().clientId), { text: 'hello' }, { qos: 1 })
  const message = await until(() => room.get().data)
  expect(message.text).toBe('hello')
  expect(message.author).toBe(ada.status.get().clientId)
  off()
}, 15_000)

it('the policy refuses what it does not allow, with a typed error, and the connection stays', async () => {
  const eve = await signedIn('Eve')
  // posing as the rule: publishing to the room directly is not in the policy
  await expect(eve.publish('rooms/lobby/messages', { text: 'fake', author: 'someone-else' }, { qos: 1 })).rejects.toMatchObject({
    code: 'NOT_AUTHORIZED',
  })
  expect(eve.status.get().status).toBe('connected')
}, 15_000)
