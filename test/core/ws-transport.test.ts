// The built-in transport against a scripted server on a real WebSocket: what the broker says (CONNACK
// codes and properties, DISCONNECT reasons, refused upgrades) and what it must not say (bad bytes).
import { createClient, isLiveTopicError, wsTransport, type ClientOptions, type LiveTopicClient } from '@livetopic/core'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { connack, publish, startRawServer, type RawConnection } from '../helpers/raw-mqtt-server.js'
import { eventually, waitFor } from '../helpers/wait.js'

const clients = new Set<LiveTopicClient>()
afterEach(async () => {
  await Promise.all([...clients].map((c) => c.close()))
  clients.clear()
})

/** A client on the built-in transport (whatever LIVETOPIC_TRANSPORT says), `ws` as its WebSocket. */
function client(options: ClientOptions & { maxPacketSize?: number }): LiveTopicClient {
  const { maxPacketSize, ...rest } = options
  const live = createClient({
    reconnect: { initialDelay: 30, maxDelay: 100 },
    ...rest,
    transport: wsTransport({ WebSocket, ...(maxPacketSize ? { maxPacketSize } : {}) }),
  })
  clients.add(live)
  return live
}

/** The first connection gets `bad` after its CONNACK; later ones are served normally. */
async function badThenGood(bad: number[], accept: (conn: RawConnection) => Promise<void> = async () => {}) {
  return startRawServer(async (conn) => {
    await conn.next('connect')
    conn.send(connack())
    if (conn.index === 0) {
      await accept(conn)
      conn.send(bad)
    }
  })
}

describe('built-in transport: runtime', () => {
  it('without a global WebSocket and without the option: createClient works (SSR), the first connect fails with INVALID_OPTIONS saying what to pass', async () => {
    const scope = globalThis as { WebSocket?: unknown }
    const saved = scope.WebSocket
    delete scope.WebSocket
    try {
      const live = createClient({ url: 'ws://127.0.0.1:1/mqtt', transport: wsTransport() })
      clients.add(live)
      live.connect()
      const state = await waitFor(live.status, (s) => s.status === 'failed')
      expect(isLiveTopicError(state.error, 'INVALID_OPTIONS')).toBe(true)
      expect(state.error?.message).toMatch(/WebSocket/)
      // the option of createClient reaches the default transport
      const withOption = createClient({ url: 'ws://127.0.0.1:1/mqtt', WebSocket })
      clients.add(withOption)
    } finally {
      scope.WebSocket = saved
    }
  })

  it('speaks subprotocol mqtt (MQTT 3.1.1 CONNECT) or mqttv3.1 (MQIsdp, level 3)', async () => {
    const server = await startRawServer(async (conn) => {
      await conn.next('connect')
      conn.send(connack())
    })
    const a = client({ url: server.url, clientId: 'a', keepalive: 17, username: 'u', password: 'p' })
    a.connect()
    await waitFor(a.status, (s) => s.status === 'connected')
    const b = client({ url: server.url, clientId: 'b', wsSubprotocol: 'mqttv3.1' })
    b.connect()
    await waitFor(b.status, (s) => s.status === 'connected')
    expect(server.connections.map((c) => c.protocol)).toEqual(['mqtt', 'mqttv3.1'])
    expect(server.connections[0]!.packets[0]).toMatchObject({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clientId: 'a',
      keepalive: 17,
      username: 'u',
      clean: true,
    })
    expect(server.connections[1]!.packets[0]).toMatchObject({ cmd: 'connect', protocolId: 'MQIsdp', protocolVersion: 3, clientId: 'b' })
  })
})

describe('built-in transport: bad input from the server ends that connection with PROTOCOL_ERROR, then reconnects', () => {
  const cases: [string, number[], number?][] = [
    ['a malformed remaining length', [0x30, 0xff, 0xff, 0xff, 0xff, 0x01]],
    ['a truncated packet (topic longer than the packet)', [0x30, 0x04, 0x00, 0x09, 0x61, 0x62]],
    ['an unknown packet type', [0x00, 0x00]],
    ['a packet over the maximum size', publish('big', new Array<number>(2000).fill(0x61)), 1000],
    ['a PUBACK for an id never sent', [0x40, 0x02, 0x00, 0x63]],
    ['a topic that is not valid UTF-8', [0x30, 0x05, 0x00, 0x02, 0xc3, 0x28, 0x7b]],
  ]
  for (const [what, bytes, maxPacketSize] of cases) {
    it(what, async () => {
      const server = await badThenGood(bytes)
      const live = client({ url: server.url, ...(maxPacketSize ? { maxPacketSize } : {}) })
      const errors: string[] = []
      live.status.listen((s) => s.error && errors.push(s.error.code))
      live.connect()
      await eventually(() => server.connections.length === 2 && live.status.get().status === 'connected', 5000, 'a reconnect')
      expect(errors[0]).toBe('PROTOCOL_ERROR')
    })
  }
})

describe('built-in transport: what the broker says', () => {
  for (const [what, options, code, reply] of [
    ['3.1.1 return code 5 (not authorized)', {}, 'NOT_AUTHORIZED', connack(5)],
    ['3.1.1 return code 4 (bad user name or password)', {}, 'NOT_AUTHORIZED', connack(4)],
    ['3.1.1 return code 3 (server unavailable)', {}, 'CONNECTION_FAILED', connack(3)],
    ['MQTT 5 reason 0x87 (not authorized)', { protocolVersion: 5 }, 'NOT_AUTHORIZED', connack(0x87, false, [])],
    ['MQTT 5 reason 0x88 (server unavailable)', { protocolVersion: 5 }, 'CONNECTION_FAILED', connack(0x88, false, [])],
  ] as const) {
    it(`CONNACK ${what} → ${code}`, async () => {
      const server = await startRawServer(
        async (conn) => {
          await conn.next('connect')
          conn.send(reply)
        },
        { protocolVersion: options.protocolVersion ?? 4 },
      )
      const live = client({ url: server.url, ...options })
      live.connect()
      const state = await waitFor(live.status, (s) => s.error !== undefined)
      expect(state.error).toMatchObject({ code, reasonCode: reply[3] })
    })
  }

  it('an HTTP 401 or 403 upgrade refusal → NOT_AUTHORIZED; 503 → CONNECTION_FAILED', async () => {
    for (const [status, code] of [
      [401, 'NOT_AUTHORIZED'],
      [403, 'NOT_AUTHORIZED'],
      [503, 'CONNECTION_FAILED'],
    ] as const) {
      const server = await startRawServer(() => {}, { refuseUpgrade: status })
      const live = client({ url: server.url })
      live.connect()
      const state = await waitFor(live.status, (s) => s.error !== undefined)
      expect(state.error).toMatchObject({ code, reasonCode: status })
    }
  })

  it('DISCONNECT 0x8E (taken over) → CLIENT_ID_CONFLICT, status failed; 0x87 → NOT_AUTHORIZED', async () => {
    for (const [reason, code] of [
      [0x8e, 'CLIENT_ID_CONFLICT'],
      [0x87, 'NOT_AUTHORIZED'],
    ] as const) {
      const server = await startRawServer(
        async (conn) => {
          await conn.next('connect')
          conn.send(connack(0, false, []))
          if (conn.index === 0) conn.send([0xe0, 2, reason, 0])
        },
        { protocolVersion: 5 },
      )
      const live = client({ url: server.url, protocolVersion: 5 })
      live.connect()
      const state = await waitFor(live.status, (s) => s.error !== undefined)
      expect(state.error).toMatchObject({ code, reasonCode: reason })
    }
  })

  it('CONNACK properties: server keep-alive replaces ours, maximum packet size limits publishes', async () => {
    // serverKeepAlive (0x13) = 1 s, maximumPacketSize (0x27) = 100 bytes
    const server = await startRawServer(
      async (conn) => {
        await conn.next('connect')
        conn.send(connack(0, false, [0x13, 0, 1, 0x27, 0, 0, 0, 100]))
      },
      { protocolVersion: 5 },
    )
    const live = client({ url: server.url, protocolVersion: 5, keepalive: 600 })
    live.connect()
    await waitFor(live.status, (s) => s.status === 'connected')
    const conn = server.connections[0]!
    // a PINGREQ within the server's keep-alive, not ours (600 s)
    await conn.next('pingreq')
    conn.send([0xd0, 0])
    const refused = await live.publish('t', 'x'.repeat(200)).catch((e: unknown) => e)
    expect(isLiveTopicError(refused, 'PAYLOAD_TOO_LARGE')).toBe(true)
    await live.publish('t', 'small')
    expect(await conn.next('publish')).toMatchObject({ topic: 't' })
  })

  it('a missing PINGRESP ends the connection within 1.5× keep-alive, then it reconnects', async () => {
    const server = await startRawServer(async (conn) => {
      await conn.next('connect')
      conn.send(connack())
    })
    const live = client({ url: server.url, keepalive: 1 })
    live.connect()
    await waitFor(live.status, (s) => s.status === 'connected')
    const since = Date.now()
    const lost = await waitFor(live.status, (s) => s.status !== 'connected', 4000)
    expect(lost.error?.code).toBe('CONNECTION_LOST')
    expect(Date.now() - since).toBeLessThanOrEqual(1500 + 400)
    expect(server.connections[0]!.packets.some((p) => p.cmd === 'pingreq')).toBe(true)
    await waitFor(live.status, (s) => s.status === 'connected')
  })
})

describe('built-in transport: packets and sessions', () => {
  it('several packets in one message, and one packet over several messages', async () => {
    const server = await startRawServer(async (conn) => {
      await conn.next('connect')
      const sub = await new Promise<number>((resolve) => {
        // CONNACK alone; SUBACK arrives together with two PUBLISHes in one message
        conn.send(connack())
        void conn.next('subscribe').then((p) => resolve((p as { messageId: number }).messageId))
      })
      conn.send([0x90, 3, sub >> 8, sub & 0xff, 0, ...publish('a/1', [0x31]), ...publish('a/2', [0x32])])
      const split = publish('a/3', [...Buffer.from('"three"')])
      conn.send(split.slice(0, 1))
      conn.send(split.slice(1, 4))
      conn.send(split.slice(4))
    })
    const live = client({ url: server.url })
    const seen: unknown[] = []
    live.onMessage('a/+', (m) => seen.push(m.payload))
    await eventually(() => seen.length === 3, 5000, 'three messages')
    expect(seen).toEqual([1, 2, 'three'])
  })

  it('QoS 2 from a generic broker: delivered once, PUBREC, then PUBCOMP on PUBREL', async () => {
    const server = await startRawServer(async (conn) => {
      await conn.next('connect')
      conn.send(connack())
      const sub = (await conn.next('subscribe')) as { messageId: number; subscriptions: { qos: number }[] }
      // we asked QoS 2 of livetopic; the transport never requests it
      conn.send([0x90, 3, sub.messageId >> 8, sub.messageId & 0xff, sub.subscriptions[0]!.qos])
      conn.send(publish('q2', [0x31], 2, 5))
      conn.send(publish('q2', [0x31], 2, 5, true))
      await conn.next('pubrec')
      conn.send([0x62, 2, 0, 5])
    })
    const live = client({ url: server.url })
    const seen: unknown[] = []
    live.onMessage('q2', (m) => seen.push(m.qos), { qos: 2 })
    await eventually(() => server.connections[0]?.packets.some((p) => p.cmd === 'pubcomp') ?? false, 5000, 'PUBCOMP')
    expect(seen).toEqual([2])
    const sub = server.connections[0]!.packets.find((p) => p.cmd === 'subscribe') as { subscriptions: { qos: number }[] }
    expect(sub.subscriptions[0]!.qos).toBe(1)
    expect(await live.publish('q2', 'x', { qos: 2 }).catch((e: { code: string }) => e.code)).toBe('LIMIT_EXCEEDED')
  })

  it('an unacknowledged QoS 1 publish is sent again once: with DUP and its packet id when the session resumed', async () => {
    const server = await startRawServer(async (conn) => {
      await conn.next('connect')
      conn.send(connack(0, conn.index > 0))
      const first = (await conn.next('publish')) as { messageId: number }
      // no PUBACK the first time: the connection drops with the publish in flight
      if (conn.index === 0) return conn.close()
      conn.send([0x40, 2, first.messageId >> 8, first.messageId & 0xff])
    })
    const live = client({ url: server.url, clientId: 'resume', clean: false })
    await live.publish('r/1', { n: 1 }, { qos: 1 })
    const [sent, resent] = server.connections.map((c) => c.packets.filter((p) => p.cmd === 'publish')) as { messageId: number; dup: boolean }[][]
    expect(sent).toHaveLength(1)
    expect(resent).toHaveLength(1)
    expect(sent![0]!.dup).toBe(false)
    expect(resent![0]).toMatchObject({ dup: true, messageId: sent![0]!.messageId })
  })

  it('after a clean session the resend is a new publish (no DUP)', async () => {
    const server = await startRawServer(async (conn) => {
      await conn.next('connect')
      conn.send(connack(0, false))
      const first = (await conn.next('publish')) as { messageId: number }
      if (conn.index === 0) return conn.close()
      conn.send([0x40, 2, first.messageId >> 8, first.messageId & 0xff])
    })
    const live = client({ url: server.url })
    await live.publish('r/1', { n: 1 }, { qos: 1 })
    const resent = server.connections[1]!.packets.filter((p) => p.cmd === 'publish') as { dup: boolean }[]
    expect(resent).toHaveLength(1)
    expect(resent[0]!.dup).toBe(false)
  })
})
