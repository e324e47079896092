import { connect as tcpConnect, type Socket } from 'node:net'
import type { BrokerLogger, Denial, RunningBroker } from '@livetopic/broker'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { useBroker } from '../helpers/broker.js'
import { connectPacket } from '../helpers/mqtt-bytes.js'
import { eventually, sleep } from '../helpers/wait.js'
import { ARN, connect, inbox, recordingAuthorizer, refusal } from './support.js'

/** A CONNECT fixed header announcing the largest remaining length MQTT allows (256 MB). */
const HUGE_CONNECT_HEADER = Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f])

function rawTcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1', () => resolve(socket))
    socket.once('error', reject)
  })
}

/** Writes 64 KiB chunks (waiting for drain) until the socket closes or `max` bytes went out; resolves with the bytes written. */
async function flood(socket: Socket, max: number): Promise<{ written: number; closed: boolean }> {
  let closed = false
  socket.once('close', () => (closed = true))
  socket.on('error', () => {})
  const chunk = Buffer.alloc(64 * 1024, 0x41)
  let written = HUGE_CONNECT_HEADER.length
  socket.write(HUGE_CONNECT_HEADER)
  while (!closed && written < max) {
    written += chunk.length
    if (!socket.write(chunk))
      await new Promise((r) => {
        socket.once('drain', r)
        socket.once('close', r)
      })
  }
  if (!closed) await Promise.race([new Promise((r) => socket.once('close', r)), sleep(2000)])
  socket.destroy()
  return { written, closed }
}

const denials = (broker: RunningBroker): Denial[] => {
  const seen: Denial[] = []
  broker.events.on('denied', (d) => seen.push(d))
  return seen
}

/** A logger that keeps every line. */
function recordingLogger(): BrokerLogger & { lines: string[] } {
  const lines: string[] = []
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(m) }
}

describe('memory before authentication', () => {
  it('cuts off a connection streaming a huge partial CONNECT over TCP as soon as its announced size is read', async () => {
    const broker = await useBroker({ mqttPort: true, logger: 'silent' })
    const seen = denials(broker)
    const result = await flood(await rawTcp(broker.mqttPort!), 150 * 1024 * 1024)
    expect(result.closed).toBe(true)
    // what the kernel's socket buffers held before the close arrived, not 150 MB
    expect(result.written).toBeLessThan(16 * 1024 * 1024)
    // aedes' Maximum Packet Size (IoT's 146 KB) refuses it from its header, before the 144 KiB cap
    expect(seen.map((d) => [d.clientId, d.resource, d.reason.includes('over the Maximum Packet Size (149504)')])).toEqual([['', 'connection', true]])
    // an honest client still gets in, and once accepted is no longer counted
    const honest = await connect(broker.url, { clientId: 'honest' })
    const got = inbox(honest)
    await honest.subscribeAsync('big')
    for (let i = 0; i < 3; i++) await honest.publishAsync('big', Buffer.alloc(100 * 1024, 0x61), { qos: 1 })
    await eventually(() => got.length === 3)
  })

  it('cuts off a WebSocket streaming a huge partial CONNECT, and refuses a WebSocket message over 1 MiB', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const seen = denials(broker)
    const socket = new WebSocket(broker.url, 'mqtt')
    await new Promise((r) => socket.once('open', r))
    const closed = new Promise<void>((r) => socket.once('close', () => r()))
    socket.on('error', () => {})
    socket.send(HUGE_CONNECT_HEADER)
    let sent = 0
    const chunk = Buffer.alloc(64 * 1024, 0x41)
    for (; sent < 64 * 1024 * 1024 && socket.readyState === WebSocket.OPEN; sent += chunk.length) {
      socket.send(chunk)
      if (socket.bufferedAmount > 4 * 1024 * 1024) await sleep(5)
    }
    await closed
    expect(sent).toBeLessThan(64 * 1024 * 1024)
    expect(seen.map((d) => d.resource)).toEqual(['connection'])

    // once connected (before, the frame's announced size closes it at once: pending-connections.test.ts)
    const big = new WebSocket(broker.url, 'mqtt')
    await new Promise((r) => big.once('open', r))
    big.on('error', () => {})
    const connack = new Promise((r) => big.once('message', r))
    big.send(connectPacket('big-sender'))
    await connack
    const code = new Promise<number>((r) => big.once('close', (c) => r(c)))
    big.send(Buffer.alloc(2 * 1024 * 1024))
    expect(await code).toBe(1009) // message too big
  })

  it('gives a connection 10 s for its CONNECT by default', async () => {
    const broker = await useBroker({ logger: 'silent' })
    expect((broker.aedes as unknown as { connectTimeout: number }).connectTimeout).toBe(10_000)
  })

  it('closes a connection that never sends CONNECT after the deadline', async () => {
    const broker = await useBroker({ mqttPort: true, logger: 'silent', testing: { connectTimeoutMs: 300 } })
    const socket = await rawTcp(broker.mqttPort!)
    const started = Date.now()
    await new Promise((r) => socket.once('close', r))
    expect(Date.now() - started).toBeGreaterThanOrEqual(250)
  })
})

describe('strings MQTT forbids (3.1.1 §1.5.3)', () => {
  /** PUBLISH QoS 0 whose topic is the given raw bytes. */
  const publishRaw = (topic: Buffer, payload = Buffer.from('x')): Buffer => {
    const body = Buffer.concat([Buffer.from([topic.length >> 8, topic.length & 0xff]), topic, payload])
    return Buffer.concat([Buffer.from([0x30, body.length]), body])
  }

  for (const [name, topic] of [
    ['invalid UTF-8', Buffer.from([0x61, 0x2f, 0xc3, 0x28])],
    ['a truncated 4-byte sequence', Buffer.from([0x61, 0x2f, 0xf0, 0x9f, 0x98])],
    ['a NUL character', Buffer.from('a/\u0000b')],
  ] as const) {
    it(`closes the connection on a topic with ${name} and delivers nothing`, async () => {
      const broker = await useBroker({ mqttPort: true, logger: 'silent' })
      const seen = denials(broker)
      const watcher = await connect(broker.url, { clientId: 'watcher' })
      const got = inbox(watcher)
      await watcher.subscribeAsync('#')
      const socket = await rawTcp(broker.mqttPort!)
      const closed = new Promise((r) => socket.once('close', r))
      socket.write(connectPacket('sender'))
      await new Promise((r) => socket.once('data', r)) // CONNACK
      socket.write(publishRaw(topic))
      await closed
      await sleep(50)
      expect(got).toEqual([])
      expect(seen.map((d) => d.resource)).toEqual(['packet'])
    })
  }

  it('refuses a CONNECT whose client id holds a NUL character', async () => {
    const broker = await useBroker({ mqttPort: true, logger: 'silent' })
    const seen = denials(broker)
    const socket = await rawTcp(broker.mqttPort!)
    const replies: Buffer[] = []
    socket.on('data', (d: Buffer) => replies.push(d))
    const closed = new Promise((r) => socket.once('close', r))
    socket.write(connectPacket('a\u0000b'))
    await closed
    expect(replies).toEqual([])
    expect(seen.map((d) => d.resource)).toEqual(['packet'])
  })

  it('still accepts a topic holding a real U+FFFD', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const client = await connect(broker.url)
    const got = inbox(client)
    await client.subscribeAsync('a/\uFFFD')
    await client.publishAsync('a/\uFFFD', 'ok')
    await sleep(50)
    expect(got.map((m) => m.topic)).toEqual(['a/\uFFFD'])
  })
})

describe('logs', () => {
  it('escapes newlines and ANSI escapes in client ids, even from connections that fail authorization', async () => {
    const logger = recordingLogger()
    const broker = await useBroker({ logger, authorizer: () => ({ isAuthenticated: false, principalId: 'x', policyDocuments: [] }) })
    expect(await refusal(broker.url, { clientId: 'evil\n[livetopic-broker] authorization off\u001b[2J\u202e' })).toBe(5)
    const line = logger.lines.find((l) => l.startsWith('connection refused'))!
    expect(line).toContain('evil\\n[livetopic-broker] authorization off\\u{1b}[2J\\u{202e}')
    // eslint-disable-next-line no-control-regex -- the assertion is that no control character reaches the log
    expect(logger.lines.join('')).not.toMatch(/[\n\u001b\u202e]/)
  })

  it('escapes client-controlled topics in denial lines', async () => {
    const logger = recordingLogger()
    const onlyChat = JSON.stringify({
      Statement: [{ Effect: 'Allow', Action: ['iot:Connect', 'iot:Publish'], Resource: [`${ARN}client/*`, `${ARN}topic/chat`] }],
    })
    const broker = await useBroker({ logger, authorizer: recordingAuthorizer({ policyDocuments: [onlyChat] }).authorizer })
    const client = await connect(broker.url, { clientId: 'c' })
    const gone = new Promise<void>((r) => client.once('close', () => r()))
    client.publish('x\r\n\u001b[31mred', 'x')
    await gone
    expect(logger.lines.some((l) => l.includes('x\\r\\n\\u{1b}[31mred'))).toBe(true)
    // eslint-disable-next-line no-control-regex -- the assertion is that no control character reaches the log
    expect(logger.lines.join('')).not.toMatch(/[\r\n\u001b]/)
  })

  it('logs a malformed policy by position, not by its content', async () => {
    const logger = recordingLogger()
    const leaky = recordingAuthorizer({ policyDocuments: ['{"Statement": [{"Effect": "Allow", "Resource": "*", "Action": "iot:*"}], "Note": "s3cr3t" '] })
    const broker = await useBroker({ logger, authorizer: leaky.authorizer })
    expect(await refusal(broker.url)).toBe(5)
    const line = logger.lines.find((l) => l.startsWith('connection refused'))!
    expect(line).toMatch(/policy 1 is not valid JSON \(at position \d+\)/)
    expect(logger.lines.join('\n')).not.toContain('s3cr3t')
  })
})

describe('authorizers on the main thread (documented limit)', () => {
  it('cannot cut off an authorizer that blocks synchronously: the time limit only applies to waiting', async () => {
    const blocking = (): { isAuthenticated: true; principalId: string; policyDocuments: string[] } => {
      const until = Date.now() + 200
      while (Date.now() < until); // a synchronous stall, as a busy loop or slow sync I/O would be
      return {
        isAuthenticated: true,
        principalId: 'slow',
        policyDocuments: [JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }] })],
      }
    }
    const broker = await useBroker({ logger: 'silent', authorizer: blocking, testing: { authorizerTimeoutMs: 50 } })
    await expect(connect(broker.url)).resolves.toBeDefined()
    // the same limit does cut off an authorizer that waits
    const waiting = await useBroker({ logger: 'silent', authorizer: async () => (await sleep(200), blocking()), testing: { authorizerTimeoutMs: 50 } })
    expect(await refusal(waiting.url)).toBe(5)
  })
})
