import { describe, expect, it } from 'vitest'
import type { Readable } from 'node:stream'
import { useBroker } from '../helpers/broker.js'
import { rawWsClient } from '../helpers/raw-ws-client.js'
import { sleep } from '../helpers/wait.js'
import { ARN, connect, policy, recordingAuthorizer } from './support.js'

interface Stored {
  topic: string
  retain?: boolean
}

/** What aedes' session store holds for a client id (the stand-in keeps sessions in memory). */
async function storedFor(broker: { aedes: unknown }, clientId: string): Promise<Stored[]> {
  const persistence = (broker.aedes as { persistence: { outgoingStream(c: { id: string }): Readable } }).persistence
  const out: Stored[] = []
  for await (const p of persistence.outgoingStream({ id: clientId })) out.push(p as Stored)
  return out
}

describe('a persistent session whose connection closes right on SUBACK', () => {
  it('stores only messages it is subscribed to and allowed to receive', async () => {
    const { authorizer } = recordingAuthorizer((event) => ({
      policyDocuments: [
        event.protocolData?.mqtt?.clientId === 'seeder'
          ? policy({ Action: 'iot:*', Resource: '*' })
          : policy(
              { Action: 'iot:Connect', Resource: '*' },
              { Action: 'iot:Subscribe', Resource: `${ARN}topicfilter/rooms/*` },
              { Action: 'iot:Receive', Resource: `${ARN}topic/rooms/lobby` },
            ),
      ],
    }))
    const broker = await useBroker({ logger: 'silent', authorizer })
    const url = `${broker.url}?token=t`
    const seeder = await connect(url, { clientId: 'seeder' })
    for (let i = 0; i < 20; i++) await seeder.publishAsync(`rooms/r${i}`, Buffer.alloc(10 * 1024), { qos: 1, retain: true })
    await seeder.publishAsync('rooms/lobby', 'welcome', { qos: 1, retain: true })
    // live traffic while the sessions come and go: allowed (rooms/lobby), not allowed (rooms/secret), not subscribed (other)
    let live = true
    const traffic = (async () => {
      for (let n = 0; live; n++) {
        await Promise.all([
          seeder.publishAsync('rooms/lobby', `lobby ${n}`, { qos: 1 }),
          seeder.publishAsync('rooms/secret', Buffer.alloc(10 * 1024), { qos: 1 }),
          seeder.publishAsync('other/topic', Buffer.alloc(10 * 1024), { qos: 1 }),
        ])
        await sleep(2)
      }
    })()
    const ids = Array.from({ length: 100 }, (_, i) => `closer-${i}`)
    await Promise.all(
      ids.map(async (id) => {
        const c = await rawWsClient(url, id, { clean: false })
        c.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'rooms/#', qos: 1 }] })
        await c.next((p) => p.cmd === 'suback')
        c.close()
        await c.closed
      }),
    )
    await sleep(300)
    live = false
    await traffic
    await sleep(300)
    const stored = (await Promise.all(ids.map((id) => storedFor(broker, id)))).flat()
    const topics = new Set(stored.map((p) => p.topic))
    // the lobby's live messages wait for the next resume; nothing else does
    expect([...topics].filter((t) => t !== 'rooms/lobby')).toEqual([])
    expect(topics.has('rooms/lobby')).toBe(true)
    expect(stored.filter((p) => p.retain)).toEqual([])
  })
})
