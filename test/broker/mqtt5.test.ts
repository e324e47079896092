import { connect as tcpConnect } from 'node:net'
import type { Denial } from '@livetopic/broker'
import mqtt, { type MqttClient } from 'mqtt'
import type { IConnackPacket, IPubackPacket, IPublishPacket, ISubackPacket, Packet } from 'mqtt-packet'
import { describe, expect, it } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { eventually, sleep } from '../helpers/wait.js'
import { ARN, connect, lifecycleLog, policy, recordingAuthorizer } from './support.js'

// MQTT 5 as AWS IoT Core speaks it: a refused SUBSCRIBE or QoS 1 PUBLISH gets reason code 0x87 and
// the connection stays (under MQTT 3.1.1 IoT closes it: policy.test.ts).

const chatPolicy = policy(
  { Action: 'iot:Connect', Resource: `${ARN}client/\${iot:ClientId}` },
  { Action: ['iot:Publish', 'iot:Receive'], Resource: `${ARN}topic/chat/*` },
  { Action: 'iot:Subscribe', Resource: `${ARN}topicfilter/chat/*` },
  { Effect: 'Deny', Action: 'iot:Publish', Resource: `${ARN}topic/chat/readonly` },
)

async function start() {
  const denials: Denial[] = []
  const { authorizer } = recordingAuthorizer({ policyDocuments: [chatPolicy] })
  const broker = await useBroker({ authorizer, logger: 'silent' })
  broker.events.on('denied', (d) => denials.push(d))
  return { broker, denials }
}

/** An MQTT 5 client that records every packet the broker sends it. */
async function connect5(url: string, clientId: string): Promise<{ client: MqttClient; received: Packet[] }> {
  const received: Packet[] = []
  const client = await connect(url, { protocolVersion: 5, clientId })
  client.on('packetreceive', (p) => received.push(p))
  return { client, received }
}

const ofType = <T extends Packet>(packets: Packet[], cmd: string): T[] => packets.filter((p) => p.cmd === cmd) as T[]

describe('MQTT 5', () => {
  it('accepts an MQTT 5 CONNECT over WebSocket and answers CONNACK with reason code 0', async () => {
    const { broker } = await start()
    const client = mqtt.connect(broker.url, { protocolVersion: 5, clientId: 'a', reconnectPeriod: 0 })
    try {
      const connack = await new Promise<IConnackPacket>((resolve, reject) => {
        client.once('connect', resolve)
        client.once('error', reject)
      })
      expect(connack.reasonCode).toBe(0)
      expect(broker.connections().map((c) => c.clientId)).toEqual(['a'])
    } finally {
      await client.endAsync(true)
    }
  })

  it('answers a forbidden SUBSCRIBE with SUBACK 0x87 for that filter and keeps the connection', async () => {
    const { broker, denials } = await start()
    const log = lifecycleLog(broker)
    const { client, received } = await connect5(broker.url, 'a')
    client.subscribe(['chat/+', 'secret/#'], { qos: 1 }, () => {})
    await eventually(() => ofType(received, 'suback').length === 1)
    expect(ofType<ISubackPacket>(received, 'suback')[0]!.granted).toEqual([1, 0x87])
    expect(denials).toMatchObject([{ clientId: 'a', action: 'iot:Subscribe', resource: `${ARN}topicfilter/secret/#` }])
    // still connected and subscribed to what was granted
    await client.publishAsync('chat/lobby', 'hi', { qos: 1 })
    await eventually(() => ofType(received, 'publish').length === 1)
    expect(client.connected).toBe(true)
    // the refusal did not end the connection: the client did
    await client.endAsync()
    const left = () => log.find((e) => e.payload.eventType === 'disconnected')
    await eventually(() => left() !== undefined)
    expect(left()!.payload).toMatchObject({ disconnectReason: 'CLIENT_INITIATED_DISCONNECT' })
  })

  it('answers a forbidden QoS 1 PUBLISH with PUBACK 0x87, delivers nothing and keeps the connection', async () => {
    const { broker, denials } = await start()
    const log = lifecycleLog(broker)
    const reader = await connect5(broker.url, 'reader')
    await reader.client.subscribeAsync('chat/+', { qos: 1 })
    const { client, received } = await connect5(broker.url, 'writer')
    client.publish('chat/readonly', 'no', { qos: 1 }, () => {})
    await eventually(() => ofType(received, 'puback').length === 1)
    expect(ofType<IPubackPacket>(received, 'puback')[0]!.reasonCode).toBe(0x87)
    const resource = `${ARN}topic/chat/readonly`
    expect(denials).toMatchObject([{ clientId: 'writer', action: 'iot:Publish', resource }])
    await client.publishAsync('chat/lobby', 'yes', { qos: 1 })
    await eventually(() => ofType(reader.received, 'publish').length === 1)
    await sleep(50)
    expect(ofType<IPublishPacket>(reader.received, 'publish').map((p) => p.payload.toString())).toEqual(['yes'])
    expect(client.connected).toBe(true)
    await client.endAsync()
    const left = () => log.find((e) => e.payload.eventType === 'disconnected' && e.payload.clientId === 'writer')
    await eventually(() => left() !== undefined)
    expect(left()!.payload).toMatchObject({ disconnectReason: 'CLIENT_INITIATED_DISCONNECT' })
  })

  it('delivers user properties, content type, response topic, correlation data and message expiry', async () => {
    const { broker } = await start()
    const reader = await connect5(broker.url, 'reader')
    await reader.client.subscribeAsync('chat/+', { qos: 1 })
    const { client } = await connect5(broker.url, 'writer')
    const properties = {
      userProperties: { trace: 'abc' },
      contentType: 'application/json',
      responseTopic: 'chat/replies',
      correlationData: Buffer.from('req-1'),
      payloadFormatIndicator: true,
      messageExpiryInterval: 60,
    }
    await client.publishAsync('chat/lobby', '{}', { qos: 1, properties })
    await eventually(() => ofType(reader.received, 'publish').length === 1)
    const delivered = ofType<IPublishPacket>(reader.received, 'publish')[0]!.properties!
    expect(delivered).toMatchObject({ ...properties, correlationData: Buffer.from('req-1') })
    // the remaining lifetime, never more than was asked
    expect(delivered.messageExpiryInterval).toBeLessThanOrEqual(60)
  })
  it("delivers a will without the will-only Will Delay Interval, with the will's other properties", async () => {
    const { broker } = await start()
    const reader = await connect5(broker.url, 'reader')
    await reader.client.subscribeAsync('chat/+', { qos: 1 })
    const will = { topic: 'chat/will', payload: Buffer.from('gone'), qos: 1 as const, retain: false }
    const properties = { willDelayInterval: 0, userProperties: { why: 'test' }, contentType: 'text/plain' }
    const writer = await connect(broker.url, { protocolVersion: 5, clientId: 'writer', will: { ...will, properties } })
    writer.stream.destroy() // no DISCONNECT: the will goes out
    await eventually(() => ofType(reader.received, 'publish').length === 1)
    const delivered = ofType<IPublishPacket>(reader.received, 'publish')[0]!
    expect(delivered.payload.toString()).toBe('gone')
    expect(delivered.properties).toMatchObject({ userProperties: { why: 'test' }, contentType: 'text/plain' })
    expect(delivered.properties).not.toHaveProperty('willDelayInterval')
  })
})

describe('MQTT 3.1.1 conformance', () => {
  it('refuses an empty client id with CleanSession=0 with return code 0x02 and closes (MQTT-3.1.3-8)', async () => {
    const broker = await useBroker({ mqttPort: true, logger: 'silent' })
    const socket = tcpConnect(broker.mqttPort!, '127.0.0.1')
    const bytes: Buffer[] = []
    socket.on('data', (b) => bytes.push(b))
    const gone = new Promise((resolve) => socket.once('close', resolve))
    socket.write(Buffer.from('100c00044d5154540400003c0000', 'hex'))
    await gone
    expect(Buffer.concat(bytes).toString('hex')).toBe('20020002')
  })
})
