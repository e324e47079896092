// A scripted MQTT server over a real WebSocket on 127.0.0.1: it parses what the client sends with
// mqtt-packet and answers whatever bytes a test wants, valid or not. Closed after each test.
import type { IncomingMessage } from 'node:http'
import mqttPacket, { type Packet } from 'mqtt-packet'
import { afterEach } from 'vitest'
import { WebSocketServer, type WebSocket } from 'ws'
import { freePort } from './free-port.js'
import { varint } from './mqtt-bytes.js'

export interface RawConnection {
  /** 0 for the first connection, 1 for the next… */
  readonly index: number
  readonly protocol: string
  /** Client packets so far, parsed by mqtt-packet. */
  readonly packets: Packet[]
  /** Sends bytes as one WebSocket message. */
  send(bytes: Uint8Array | number[]): void
  /** Resolves with the next client packet of `cmd` (or one already received and not yet taken). */
  next(cmd: Packet['cmd']): Promise<Packet>
  close(): void
}

export interface RawServer {
  readonly url: string
  readonly connections: RawConnection[]
  close(): Promise<void>
}

const servers = new Set<RawServer>()

/**
 * Starts the server; `onConnection` runs for each client. `refuseUpgrade` answers the HTTP upgrade
 * with that status instead.
 */
export async function startRawServer(
  onConnection: (conn: RawConnection) => void | Promise<void>,
  options: { protocolVersion?: 4 | 5; refuseUpgrade?: number } = {},
): Promise<RawServer> {
  const port = await freePort()
  const connections: RawConnection[] = []
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port,
    handleProtocols: (protocols) => [...protocols][0] ?? false,
    verifyClient: options.refuseUpgrade
      ? (_info: { req: IncomingMessage }, done: (ok: boolean, code?: number) => void) => done(false, options.refuseUpgrade)
      : undefined,
  })
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  wss.on('connection', (ws: WebSocket) => {
    const parser = mqttPacket.parser({ protocolVersion: options.protocolVersion ?? 4 })
    const taken = new Set<Packet>()
    const waiters: { cmd: Packet['cmd']; resolve: (p: Packet) => void }[] = []
    const conn: RawConnection = {
      index: connections.length,
      protocol: ws.protocol,
      packets: [],
      send: (bytes) => ws.send(Uint8Array.from(bytes)),
      next(cmd) {
        const ready = conn.packets.find((p) => p.cmd === cmd && !taken.has(p))
        if (ready) {
          taken.add(ready)
          return Promise.resolve(ready)
        }
        return new Promise((resolve) => waiters.push({ cmd, resolve }))
      },
      close: () => ws.close(),
    }
    connections.push(conn)
    parser.on('packet', (packet) => {
      conn.packets.push(packet)
      const waiter = waiters.findIndex((w) => w.cmd === packet.cmd)
      if (waiter >= 0) {
        taken.add(packet)
        waiters.splice(waiter, 1)[0]!.resolve(packet)
      }
    })
    parser.on('error', () => ws.terminate())
    ws.on('message', (data: Buffer) => parser.parse(data))
    ws.on('error', () => {})
    void onConnection(conn)
  })
  const server: RawServer = {
    url: `ws://127.0.0.1:${port}/mqtt`,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close(() => resolve())
      }),
  }
  servers.add(server)
  return server
}

afterEach(async () => {
  await Promise.all([...servers].map((s) => s.close()))
  servers.clear()
})

/** CONNACK: 3.1.1 (return code) or, with `properties` bytes, MQTT 5. */
export const connack = (code = 0, sessionPresent = false, v5Properties?: number[]): number[] =>
  v5Properties ? [0x20, 3 + v5Properties.length, sessionPresent ? 1 : 0, code, v5Properties.length, ...v5Properties] : [0x20, 2, sessionPresent ? 1 : 0, code]

/** PUBLISH (3.1.1) with an ASCII topic. */
export function publish(topic: string, payload: number[], qos: 0 | 1 | 2 = 0, id = 1, dup = false): number[] {
  const t = [...Buffer.from(topic)]
  const body = [0, t.length, ...t, ...(qos > 0 ? [id >> 8, id & 0xff] : []), ...payload]
  return [0x30 | (dup ? 8 : 0) | (qos << 1), ...varint(body.length), ...body]
}
