// A persistent session that drops again while it resumes keeps every stored QoS 1 message for the
// next resume. aedes asks `authorizeForward` once more before each stored or held message goes out,
// and clears the message from the session when the answer is no; a closing client has no
// subscriptions left, so the stand-in must not read that as "not subscribed" (the soak lost whole
// resumes this way). Plain MQTT.js clients: what is checked is the broker's session store.
import type { Client } from 'aedes'
import mqtt from 'mqtt'
import { afterEach, expect, it } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { eventually, sleep } from '../helpers/wait.js'

const cleanup: (() => Promise<unknown>)[] = []
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((fn) => fn()))
})

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)

async function storedSession(url: string, clientId: string, count: number): Promise<mqtt.MqttClient> {
  const away = await mqtt.connectAsync(url, { clientId, clean: false, reconnectPeriod: 0 })
  await away.subscribeAsync('jobs/+', { qos: 1 })
  await away.endAsync(true)
  const raw = await mqtt.connectAsync(url, { reconnectPeriod: 0 })
  cleanup.push(() => raw.endAsync(true))
  for (const i of range(1, count)) await raw.publishAsync('jobs/queue', String(i), { qos: 1 })
  return raw
}

/** Connects with the kept session, lets the broker drop it once right after CONNACK, then resumes and collects. */
async function resumeTwice(url: string, clientId: string, expected: number): Promise<number[]> {
  const first = mqtt.connect(url, { clientId, clean: false, reconnectPeriod: 0 })
  const got = new Set<number>()
  first.on('message', (_topic, payload) => got.add(Number(payload.toString())))
  await new Promise<void>((resolve) => first.once('close', () => resolve()))
  first.end(true)
  const back = mqtt.connect(url, { clientId, clean: false, reconnectPeriod: 0 })
  cleanup.push(() => back.endAsync(true))
  back.on('message', (_topic, payload) => got.add(Number(payload.toString())))
  await eventually(() => got.size >= expected, 5000, `${expected} messages`).catch(() => {})
  await sleep(200)
  return [...got].sort((a, b) => a - b)
}

it('a session dropped while its stored queue streams replays all of it at the next resume', async () => {
  const broker = await useBroker()
  await storedSession(broker.url, 'dropped-resumer', 50)
  let drops = 0
  broker.aedes.on('connackSent', (_packet, client: Client) => {
    // the connection is lost the moment the CONNACK is out, before the stored queue has gone
    if (client.id === 'dropped-resumer' && drops++ === 0) client.close()
  })
  expect(await resumeTwice(broker.url, 'dropped-resumer', 50)).toEqual(range(1, 50))
})

it('live messages held for a resuming session survive a drop before the stored queue drained', async () => {
  const broker = await useBroker()
  const raw = await storedSession(broker.url, 'held-resumer', 200)
  let drops = 0
  broker.aedes.on('connackSent', (_packet, client: Client) => {
    if (client.id !== 'held-resumer' || drops++ > 0) return
    // 201–210 arrive live while 200 stored ones stream: the stand-in holds them; then the connection drops
    void Promise.all(range(201, 210).map((i) => raw.publishAsync('jobs/queue', String(i), { qos: 1 }))).then(() => client.close())
  })
  expect(await resumeTwice(broker.url, 'held-resumer', 210)).toEqual(range(1, 210))
})

it('a message both stored and held for a resuming session goes out once, and the connection stays up', async () => {
  const broker = await useBroker()
  await storedSession(broker.url, 'twice-resumer', 20)
  broker.aedes.on('client', (client: Client) => {
    // registered, subscriptions restored, CONNACK not yet sent: this one is stored (the queue is read
    // after the CONNACK) and delivered live too, where the stand-in holds it
    if (client.id !== 'twice-resumer') return
    broker.aedes.publish({ cmd: 'publish', topic: 'jobs/queue', payload: Buffer.from('21'), qos: 1, retain: false, dup: false }, () => {})
  })
  const back = mqtt.connect(broker.url, { clientId: 'twice-resumer', clean: false, reconnectPeriod: 0 })
  cleanup.push(() => back.endAsync(true))
  let closes = 0
  back.on('close', () => closes++)
  const got: number[] = []
  back.on('message', (_topic, payload) => got.push(Number(payload.toString())))
  await eventually(() => got.length >= 21, 5000, '21 messages')
  await sleep(300)
  expect(got).toEqual(range(1, 21))
  expect(closes).toBe(0)
})

it('a message published while a persistent client unsubscribes does not cost it the connection', async () => {
  const broker = await useBroker()
  // aedes removes the stored subscription, then the live one: widen that gap as a loaded broker would
  const persistence = (broker.aedes as unknown as { persistence: { removeSubscriptions: (...args: unknown[]) => Promise<unknown> } }).persistence
  const remove = persistence.removeSubscriptions.bind(persistence)
  persistence.removeSubscriptions = async (...args) => {
    const result = await remove(...args)
    await sleep(100)
    return result
  }
  const leaving = await mqtt.connectAsync(broker.url, { clientId: 'unsubscriber', clean: false, reconnectPeriod: 0 })
  cleanup.push(() => leaving.endAsync(true))
  let closes = 0
  leaving.on('close', () => closes++)
  await leaving.subscribeAsync('race/t', { qos: 1 })
  const raw = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 })
  cleanup.push(() => raw.endAsync(true))
  const unsubscribed = leaving.unsubscribeAsync('race/t')
  await sleep(30)
  await raw.publishAsync('race/t', 'in the gap', { qos: 1 })
  await unsubscribed
  await sleep(200)
  expect(closes).toBe(0)
  expect(leaving.connected).toBe(true)
})

it('a held message the broker does not forward (IoT: a/# does not match a) takes only its own copy out of the session', async () => {
  const broker = await useBroker()
  const away = await mqtt.connectAsync(broker.url, { clientId: 'mismatch-resumer', clean: false, reconnectPeriod: 0 })
  await away.subscribeAsync(['jobs/+', 'a/#'], { qos: 1 })
  await away.endAsync(true)
  const raw = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 })
  cleanup.push(() => raw.endAsync(true))
  for (const i of range(1, 20)) await raw.publishAsync('jobs/queue', String(i), { qos: 1 })
  const publish = (topic: string, payload: string): void =>
    broker.aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: false, dup: false }, () => {})
  broker.aedes.on('connackSent', (_packet, client: Client) => {
    if (client.id !== 'mismatch-resumer') return
    // both arrive live while the 20 stored ones stream, so both are held: 21, then one aedes
    // matches (MQTT: a/# matches a) and IoT does not, so it is not forwarded
    publish('jobs/queue', '21')
    publish('a', '0')
  })
  const back = mqtt.connect(broker.url, { clientId: 'mismatch-resumer', clean: false, reconnectPeriod: 0 })
  cleanup.push(() => back.endAsync(true))
  const got: number[] = []
  back.on('message', (_topic, payload) => got.push(Number(payload.toString())))
  await eventually(() => got.length >= 21, 5000, '21 messages')
  await sleep(300)
  expect(got).toEqual(range(1, 21))
  // everything delivered was acknowledged, and the one not forwarded was removed: nothing is left
  const persistence = (broker.aedes as unknown as { persistence: { outgoingStream(client: { id: string }): AsyncIterable<{ topic: string }> } }).persistence
  const left: string[] = []
  for await (const packet of persistence.outgoingStream({ id: 'mismatch-resumer' })) left.push(packet.topic)
  expect(left).toEqual([])
})

it('held messages keep their order when releasing one lets a queued message through (aedes would take the rest for duplicates)', async () => {
  const broker = await useBroker()
  // aedes' message bus lets 100 messages be in flight; a held delivery stays in flight until it is
  // released, so under the soak's restarts the bus was full and new messages waited in its queue.
  // Two slots make the same state with three messages.
  ;(broker.aedes as unknown as { mq: { concurrency: number } }).mq.concurrency = 2
  await storedSession(broker.url, 'ordered-resumer', 20)
  const publish = (payload: string): void =>
    broker.aedes.publish({ cmd: 'publish', topic: 'jobs/queue', payload: Buffer.from(payload), qos: 1, retain: false, dup: false }, () => {})
  broker.aedes.on('client', (client: Client) => {
    // stored (the queue is read after the CONNACK) and held: at the release it is skipped, its stored
    // copy went out; skipping it frees a slot of the bus at once
    if (client.id === 'ordered-resumer') publish('21')
  })
  broker.aedes.on('connackSent', (_packet, client: Client) => {
    if (client.id !== 'ordered-resumer') return
    // 22 is held (second slot); 23 waits in the bus's queue and takes the slot 21 frees, in the
    // middle of the release: delivered before 22, aedes' dedupe (increasing broker counters per
    // connection) then drops 22 as a duplicate and clears it from the session
    publish('22')
    publish('23')
  })
  const back = mqtt.connect(broker.url, { clientId: 'ordered-resumer', clean: false, reconnectPeriod: 0 })
  cleanup.push(() => back.endAsync(true))
  const got: number[] = []
  back.on('message', (_topic, payload) => got.push(Number(payload.toString())))
  await eventually(() => got.length >= 23, 5000, '23 messages').catch(() => {})
  await sleep(300)
  expect(got).toEqual(range(1, 23))
})
