import { connect as tcpConnect, type Socket } from 'node:net'
import type { RunningBroker } from '@livetopic/broker'
import type { IConnackPacket, IDisconnectPacket, IPublishPacket, ISubackPacket, Packet } from 'mqtt-packet'
import mqttPacket from 'mqtt-packet'
import { afterEach, describe, expect, it } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { eventually, sleep } from '../helpers/wait.js'
import { ARN, connect, policy, recordingAuthorizer } from './support.js'

// MQTT 5 as AWS IoT Core speaks it ("MQTT 5 supported features", developer guide): the CONNACK's
// capabilities and limits, shared subscriptions, expiry, and a DISCONNECT reason code whenever the
// server closes an MQTT 5 connection.

/** A raw MQTT 5 client over TCP: writes any packet (also those MQTT.js refuses to send) and records what comes back. */
interface Raw {
  received: Packet[]
  send(packet: Record<string, unknown>): void
  closed: Promise<void>
  socket: Socket
}
const raws = new Set<Socket>()
afterEach(() => {
  for (const s of raws) s.destroy()
  raws.clear()
})

async function raw(broker: RunningBroker, connect: Record<string, unknown> = {}): Promise<Raw> {
  const socket = tcpConnect(broker.mqttPort!, '127.0.0.1')
  raws.add(socket)
  const parser = mqttPacket.parser({ protocolVersion: 5 })
  const received: Packet[] = []
  parser.on('packet', (p) => received.push(p))
  socket.on('data', (b) => parser.parse(b))
  socket.on('error', () => {})
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  const send = (packet: Record<string, unknown>): void => {
    socket.write(mqttPacket.generate(packet as unknown as Packet, { protocolVersion: 5 }))
  }
  send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clean: true, clientId: 'raw', keepalive: 60, ...connect })
  await eventually(() => received.some((p) => p.cmd === 'connack'))
  return { received, send, closed, socket }
}

const ofType = <T extends Packet>(packets: Packet[], cmd: string): T[] => packets.filter((p) => p.cmd === cmd) as T[]

/** The reason code of the DISCONNECT the server sent before closing. */
async function disconnectCode(r: Raw): Promise<number | undefined> {
  await r.closed
  return ofType<IDisconnectPacket>(r.received, 'disconnect')[0]?.reasonCode
}

describe('MQTT 5 CONNACK as IoT sends it', () => {
  it("announces IoT's capabilities and limits, and the keep-alive and session expiry it applies", async () => {
    const broker = await useBroker({ logger: 'silent', mqttPort: true })
    const none = await raw(broker, { keepalive: 0, properties: { sessionExpiryInterval: 30 * 86_400 } })
    const connack = ofType<IConnackPacket>(none.received, 'connack')[0]!
    expect(connack.reasonCode).toBe(0)
    expect(connack.properties).toMatchObject({
      maximumQoS: 1,
      retainAvailable: true,
      wildcardSubscriptionAvailable: true,
      subscriptionIdentifiersAvailable: false,
      sharedSubscriptionAvailable: true,
      topicAliasMaximum: 8,
      receiveMaximum: 100,
      maximumPacketSize: 146 * 1024,
      serverKeepAlive: 1200, // no keep-alive asked for: IoT applies 1200 s
      sessionExpiryInterval: 3600, // 30 days asked for: cut to the account's (1 h by default)
    })
    const short = await raw(broker, { clientId: 'short', keepalive: 10 })
    expect(ofType<IConnackPacket>(short.received, 'connack')[0]!.properties?.serverKeepAlive).toBe(30)
    const fine = await raw(broker, { clientId: 'fine', keepalive: 60 })
    expect(ofType<IConnackPacket>(fine.received, 'connack')[0]!.properties).not.toHaveProperty('serverKeepAlive')
  })

  it('takes its limits from the broker options', async () => {
    const broker = await useBroker({ logger: 'silent', mqttPort: true, quotas: { topicAliasMaximum: 2, receiveMaximum: 10, maximumPacketSize: 4096 } })
    const r = await raw(broker)
    expect(ofType<IConnackPacket>(r.received, 'connack')[0]!.properties).toMatchObject({ topicAliasMaximum: 2, receiveMaximum: 10, maximumPacketSize: 4096 })
  })

  it('refuses out-of-range MQTT 5 limits with a RangeError', async () => {
    await expect(useBroker({ logger: 'silent', quotas: { receiveMaximum: 0 } })).rejects.toThrow(RangeError)
    await expect(useBroker({ logger: 'silent', quotas: { topicAliasMaximum: 1.5 } })).rejects.toThrow(/topicAliasMaximum/)
  })
})

describe('shared subscriptions $share/{group}/{filter}', () => {
  const sharePolicy = policy(
    { Action: 'iot:Connect', Resource: `${ARN}client/\${iot:ClientId}` },
    { Action: ['iot:Publish', 'iot:Receive'], Resource: `${ARN}topic/jobs/*` },
    { Action: 'iot:Subscribe', Resource: [`${ARN}topicfilter/$share/workers/jobs/*`, `${ARN}topicfilter/jobs/*`] },
  )

  it('gives each message to one member of the group, in turn; an ordinary subscriber gets all', async () => {
    const { authorizer } = recordingAuthorizer({ policyDocuments: [sharePolicy] })
    const broker = await useBroker({ logger: 'silent', authorizer })
    const got = { a: [] as string[], b: [] as string[], all: [] as string[] }
    const a = await connect(broker.url, { protocolVersion: 5, clientId: 'a' })
    const b = await connect(broker.url, { clientId: 'b' }) // MQTT 3.1.1 members too, as on IoT
    const all = await connect(broker.url, { protocolVersion: 5, clientId: 'all' })
    a.on('message', (_t, p) => got.a.push(p.toString()))
    b.on('message', (_t, p) => got.b.push(p.toString()))
    all.on('message', (_t, p) => got.all.push(p.toString()))
    const granted = await a.subscribeAsync('$share/workers/jobs/+', { qos: 1 })
    expect(granted.map((g) => g.qos)).toEqual([1])
    await b.subscribeAsync('$share/workers/jobs/+', { qos: 1 })
    await all.subscribeAsync('jobs/+', { qos: 1 })
    const sent = Array.from({ length: 10 }, (_, i) => `job-${i}`)
    for (const text of sent) await all.publishAsync('jobs/new', text, { qos: 1 })
    await eventually(() => got.all.length === 10 && got.a.length + got.b.length >= 10)
    await sleep(100)
    expect(got.all).toEqual(sent)
    expect([...got.a, ...got.b].sort()).toEqual([...sent].sort()) // each exactly once between them
    expect(got.a).toHaveLength(5) // in turn
    expect(got.b).toHaveLength(5)
    // a member that leaves the group no longer gets any
    await a.unsubscribeAsync('$share/workers/jobs/+')
    await all.publishAsync('jobs/new', 'after', { qos: 1 })
    await eventually(() => got.b.includes('after'))
    expect(got.a).not.toContain('after')
  })

  it("checks iot:Subscribe on the whole $share filter, as IoT's policies name it", async () => {
    const { authorizer } = recordingAuthorizer({ policyDocuments: [sharePolicy] })
    const broker = await useBroker({ logger: 'silent', authorizer })
    const c = await connect(broker.url, { protocolVersion: 5, clientId: 'c' })
    const received: Packet[] = []
    c.on('packetreceive', (p) => received.push(p))
    // `topicfilter/jobs/*` is allowed, yet that does not allow `$share/others/jobs/+`
    c.subscribe('$share/others/jobs/+', { qos: 1 }, () => {})
    await eventually(() => ofType(received, 'suback').length === 1)
    c.subscribe('$share/workers/jobs/+', { qos: 1 }, () => {})
    await eventually(() => ofType(received, 'suback').length === 2)
    expect(ofType<ISubackPacket>(received, 'suback').map((s) => s.granted)).toEqual([[0x87], [1]])
  })
})

describe('MQTT 5 limits and expiry', () => {
  it('accepts topic aliases up to 8 and disconnects a client using a higher one with 0x94', async () => {
    const broker = await useBroker({ logger: 'silent', mqttPort: true })
    const reader = await connect(broker.url, { protocolVersion: 5, clientId: 'reader' })
    const topics: string[] = []
    reader.on('message', (t) => topics.push(t))
    await reader.subscribeAsync('a/+')
    const r = await raw(broker)
    r.send({ cmd: 'publish', topic: 'a/b', payload: Buffer.from('x'), qos: 0, retain: false, dup: false, properties: { topicAlias: 8 } })
    r.send({ cmd: 'publish', topic: '', payload: Buffer.from('y'), qos: 0, retain: false, dup: false, properties: { topicAlias: 8 } })
    await eventually(() => topics.length === 2)
    expect(topics).toEqual(['a/b', 'a/b'])
    r.send({ cmd: 'publish', topic: 'a/b', payload: Buffer.from('x'), qos: 0, retain: false, dup: false, properties: { topicAlias: 9 } })
    expect(await disconnectCode(r)).toBe(0x94)
  })

  it('does not deliver a queued message whose expiry passed while the session was offline', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const session = { protocolVersion: 5 as const, clientId: 'sleeper', clean: false, properties: { sessionExpiryInterval: 600 } }
    const sleeper = await connect(broker.url, session)
    await sleeper.subscribeAsync('news/+', { qos: 1 })
    await sleeper.endAsync()
    const writer = await connect(broker.url, { protocolVersion: 5, clientId: 'writer' })
    await writer.publishAsync('news/a', 'short-lived', { qos: 1, properties: { messageExpiryInterval: 1 } })
    await writer.publishAsync('news/b', 'lasting', { qos: 1, properties: { messageExpiryInterval: 600 } })
    await sleep(2100)
    const texts: string[] = []
    const back = await connect(broker.url, { ...session, manualConnect: false })
    back.on('message', (_t, p) => texts.push(p.toString()))
    await eventually(() => texts.length >= 1)
    await sleep(100)
    expect(texts).toEqual(['lasting'])
  })
})

describe('Receive Maximum', () => {
  it('never has more QoS 1 messages in flight to a client than its Receive Maximum; the rest follow each PUBACK, in order', async () => {
    const broker = await useBroker({ logger: 'silent', mqttPort: true })
    const r = await raw(broker, { properties: { receiveMaximum: 2 } })
    r.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'q/+', qos: 1 }] })
    await eventually(() => ofType(r.received, 'suback').length === 1)
    const writer = await connect(broker.url, { protocolVersion: 5, clientId: 'writer' })
    for (let i = 0; i < 5; i++) await writer.publishAsync('q/x', `m${i}`, { qos: 1 })
    const publishes = () => ofType<IPublishPacket>(r.received, 'publish')
    await eventually(() => publishes().length === 2)
    await sleep(150)
    expect(publishes().map((p) => p.payload.toString())).toEqual(['m0', 'm1'])
    r.send({ cmd: 'puback', messageId: publishes()[0]!.messageId })
    await eventually(() => publishes().length === 3)
    await sleep(100)
    expect(publishes()).toHaveLength(3)
    for (const p of publishes().slice(1)) r.send({ cmd: 'puback', messageId: p.messageId })
    await eventually(() => publishes().length === 5)
    expect(publishes().map((p) => p.payload.toString())).toEqual(['m0', 'm1', 'm2', 'm3', 'm4'])
  })
})

describe('DISCONNECT reason codes when the server closes an MQTT 5 connection', () => {
  it('session taken over: 0x8E', async () => {
    const broker = await useBroker({ logger: 'silent', mqttPort: true })
    const first = await raw(broker, { clientId: 'dup' })
    await raw(broker, { clientId: 'dup' })
    expect(await disconnectCode(first)).toBe(0x8e)
  })

  it('keep-alive timeout: 0x8D', async () => {
    const broker = await useBroker({ logger: 'silent', mqttPort: true, testing: { allowShortDurations: true } })
    const r = await raw(broker, { keepalive: 1 }) // and never a PINGREQ
    expect(await disconnectCode(r)).toBe(0x8d)
  })

  it('QoS 2 PUBLISH (IoT: maximum QoS 1): 0x9B, nothing delivered', async () => {
    const broker = await useBroker({ logger: 'silent', mqttPort: true })
    const reader = await connect(broker.url, { protocolVersion: 5, clientId: 'reader' })
    const texts: string[] = []
    reader.on('message', (_t, p) => texts.push(p.toString()))
    await reader.subscribeAsync('a/+', { qos: 1 })
    const r = await raw(broker)
    r.send({ cmd: 'publish', topic: 'a/b', payload: Buffer.from('x'), qos: 2, messageId: 1, retain: false, dup: false })
    expect(await disconnectCode(r)).toBe(0x9b)
    expect(ofType(r.received, 'pubrec')).toEqual([])
    await sleep(50)
    expect(texts).toEqual([])
  })

  it('packet too large: 0x95', async () => {
    const broker = await useBroker({ logger: 'silent', mqttPort: true })
    const r = await raw(broker)
    r.send({ cmd: 'publish', topic: 'a/b', payload: Buffer.alloc(150 * 1024), qos: 0, retain: false, dup: false })
    expect(await disconnectCode(r)).toBe(0x95)
  })

  it('subscriptions quota exceeded: 0x97', async () => {
    const broker = await useBroker({ logger: 'silent', mqttPort: true, quotas: { subscriptionsPerConnection: 1 } })
    const r = await raw(broker)
    r.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a/1', qos: 1 }] })
    r.send({ cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'a/2', qos: 1 }] })
    expect(await disconnectCode(r)).toBe(0x97)
  })

  it("authorizer's disconnectAfterInSeconds reached: 0x87", async () => {
    const { authorizer } = recordingAuthorizer({ policyDocuments: [policy({ Action: 'iot:*', Resource: '*' })], disconnectAfterInSeconds: 0.3 })
    const broker = await useBroker({ logger: 'silent', mqttPort: true, authorizer, testing: { allowShortDurations: true } })
    const r = await raw(broker, { username: 'u', password: Buffer.from('p') })
    expect(await disconnectCode(r)).toBe(0x87)
  })

  it('Data Plane DeleteConnection: 0x98 (administrative action)', async () => {
    const broker = await useBroker({ logger: 'silent', mqttPort: true })
    const r = await raw(broker, { clientId: 'kicked' })
    const res = await fetch(`${broker.httpUrl}/connections/kicked`, { method: 'DELETE' })
    expect(res.status).toBe(200)
    expect(await disconnectCode(r)).toBe(0x98)
  })
})
