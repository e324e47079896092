// The built-in transport against a hostile server on a real WebSocket: a packet split into 1-byte
// messages is delivered, a packet or message announced over the maximum ends the connection with a
// typed PROTOCOL_ERROR before its body is buffered, and nothing is thrown into user code.
import { wsTransport } from '@livetopic/core'
import type { PublishFailure } from '../../packages/core/src/transport.js'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { connectTransport } from '../helpers/hostile-transport.js'
import { startHostileServer, type HostileServer } from '../helpers/hostile-ws-server.js'
import { connack, publish } from '../helpers/raw-mqtt-server.js'
import { eventually } from '../helpers/wait.js'

const MiB = 1024 * 1024
const servers: HostileServer[] = []
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

/** One transport connected to a fresh hostile server; returns what it received and why it closed. */
async function connect(maxPacketSize: number) {
  const server = await startHostileServer()
  servers.push(server)
  const messages: { topic: string; payload: Uint8Array }[] = []
  const { conn, transport, closes } = await connectTransport(server, { maxPacketSize, onMessage: (topic, payload) => messages.push({ topic, payload }) })
  closers.push(() => transport.close())
  return { conn, messages, closes }
}

describe('built-in transport: a hostile broker', () => {
  it('a 1 MiB PUBLISH split into 1-byte WebSocket messages is delivered whole', async () => {
    const { conn, messages, closes } = await connect(2 * MiB)
    const payload = Uint8Array.from({ length: MiB }, (_, i) => i % 253)
    conn.sendSplit(Uint8Array.from(publish('big/one', [...payload])), 1)
    await eventually(() => messages.length === 1, 15_000, 'the 1 MiB message')
    expect(messages[0]!.topic).toBe('big/one')
    expect(Buffer.from(messages[0]!.payload).equals(payload)).toBe(true)
    // listeners get a plain Uint8Array, as in a browser, not a Node Buffer
    expect(Object.getPrototypeOf(messages[0]!.payload)).toBe(Uint8Array.prototype)
    expect(closes).toEqual([])
  }, 30_000)

  it('a fixed header announcing more than the maximum: PROTOCOL_ERROR before any body byte is sent', async () => {
    const { conn, messages, closes } = await connect(64 * 1024)
    // PUBLISH, remaining length 10 MiB, header only, one byte per message; the body never comes
    conn.sendSplit(Uint8Array.of(0x30, 0x80, 0x80, 0x80, 0x05), 1)
    await eventually(() => closes.length === 1, 5000, 'the connection to end')
    expect(closes[0]?.code).toBe('PROTOCOL_ERROR')
    expect(closes[0]?.message).toMatch(/over the maximum of 65536/)
    expect(messages).toEqual([])
  })

  it('one WebSocket message over twice the maximum: `ws` refuses it unbuffered, a typed PROTOCOL_ERROR', async () => {
    const { conn, closes } = await connect(64 * 1024)
    // valid small packets, but 160 KiB in one message
    const packet = publish('t', new Array<number>(1000).fill(1))
    const many = Uint8Array.from(Array.from({ length: 160 }, () => packet).flat())
    conn.send(many)
    await eventually(() => closes.length === 1, 5000, 'the connection to end')
    expect(closes[0]?.code).toBe('PROTOCOL_ERROR')
    expect(closes[0]?.message).toMatch(/WebSocket message over twice the maximum packet size/)
  })
})

describe('built-in transport: the publish contract written in transport.ts', () => {
  it('a resend after a resumed session reuses the packet id with DUP even for a new payload object; failures say whether they are retryable', async () => {
    const server = await startHostileServer()
    servers.push(server)
    let connects = 0
    const transport = wsTransport({ WebSocket })(
      { clientId: 'dup', protocolVersion: 4, keepalive: 0, clean: false, wsSubprotocol: 'mqtt', connectTimeout: 5000 },
      { onConnect: () => connects++, onMessage: () => {}, onClose: () => {} },
    )
    closers.push(() => transport.close())
    transport.open(server.url, {})
    const first = await server.accept()
    await first.next()
    first.send(connack())
    await eventually(() => connects === 1, 5000, 'CONNACK')
    const sent = transport.publish('r/1', Uint8Array.of(1, 2, 3), { qos: 1, retain: false })
    const packet = await first.next()
    expect(packet[0]).toBe(0x32) // QoS 1, no DUP
    const id = packet.readUInt16BE(7)
    // the connection drops with the publish unanswered: retryable
    first.close()
    const dropped = (await sent.catch((e: unknown) => e)) as PublishFailure
    expect(dropped.code).toBe('CONNECTION_LOST')
    expect(dropped.retryable).toBe(true)
    transport.open(server.url, {})
    const second = await server.accept()
    await second.next()
    second.send(connack(0, true))
    await eventually(() => connects === 2, 5000, 'second CONNACK')
    // the Publisher may encode the payload again: equal bytes, another object
    const again = transport.publish('r/1', Uint8Array.of(1, 2, 3), { qos: 1, retain: false })
    const resent = await second.next()
    expect(resent[0]).toBe(0x3a) // QoS 1 with DUP
    expect(resent.readUInt16BE(7)).toBe(id)
    // a failure PUBACK is not a 3.1.1 thing; QoS 2 refused by this transport is final
    second.send([0x40, 2, id >> 8, id & 0xff])
    await again
    const qos2 = (await transport.publish('r/2', 'x', { qos: 2, retain: false }).catch((e: unknown) => e)) as PublishFailure
    expect(qos2.retryable).toBe(false)
  })
})
