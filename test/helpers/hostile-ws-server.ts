// A hostile MQTT server on 127.0.0.1: `ws`' WebSocketServer does the upgrade, then the test writes
// WebSocket frames it crafts straight onto the TCP socket (e.g. a million 1-byte messages in one write).
import { createServer, type IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'

export interface HostileConnection {
  /** Sends `bytes` as one ordinary binary WebSocket message. */
  send(bytes: Uint8Array | number[]): void
  /** Writes `bytes` as consecutive binary WebSocket messages of `size` bytes each, in one TCP write. */
  sendSplit(bytes: Uint8Array, size: number): void
  /** Resolves with the next binary message the client sent. */
  next(): Promise<Buffer>
  close(): void
}

export interface HostileServer {
  readonly url: string
  /** Resolves with each new connection in turn. */
  accept(): Promise<HostileConnection>
  close(): Promise<void>
}

/** A QoS 0 PUBLISH (MQTT 3.1.1 and 5 alike when `v5` adds the empty property length), built without arrays of numbers. */
export function publishBytes(topic: string, payload: Uint8Array, v5 = false): Uint8Array {
  const name = Buffer.from(topic)
  const body = 2 + name.length + (v5 ? 1 : 0) + payload.length
  const length: number[] = []
  for (let n = body; ;) {
    const byte = n % 128
    n = Math.floor(n / 128)
    length.push(n > 0 ? byte | 0x80 : byte)
    if (n === 0) break
  }
  return Buffer.concat([Buffer.from([0x30, ...length, name.length >> 8, name.length & 0xff]), name, Buffer.from(v5 ? [0] : []), payload])
}

/** Unmasked server→client frames (FIN + binary), `size` payload bytes each. */
function frames(bytes: Uint8Array, size: number): Buffer {
  if (size === 1) {
    const out = Buffer.alloc(bytes.length * 3)
    for (let i = 0; i < bytes.length; i++) out.set([0x82, 1, bytes[i]!], i * 3)
    return out
  }
  const parts: Buffer[] = []
  for (let at = 0; at < bytes.length; at += size) {
    const piece = bytes.subarray(at, at + size)
    const header = piece.length < 126 ? Buffer.from([0x82, piece.length]) : Buffer.from([0x82, 126, piece.length >> 8, piece.length & 0xff]) // sizes up to 64 KiB
    parts.push(header, Buffer.from(piece))
  }
  return Buffer.concat(parts)
}

export async function startHostileServer(): Promise<HostileServer> {
  const http = createServer((_req, res) => res.writeHead(404).end())
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => [...protocols][0] ?? false })
  const arrived: HostileConnection[] = []
  const waiting: ((c: HostileConnection) => void)[] = []
  const sockets = new Set<Duplex>()
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket)
    wss.handleUpgrade(req, socket, head, (ws) => {
      const inbox: Buffer[] = []
      const readers: ((b: Buffer) => void)[] = []
      ws.on('message', (data: Buffer) => {
        const reader = readers.shift()
        if (reader) reader(data)
        else inbox.push(data)
      })
      ws.on('error', () => {})
      const conn: HostileConnection = {
        send: (bytes) => ws.send(Uint8Array.from(bytes)),
        sendSplit: (bytes, size) => void socket.write(frames(bytes, size)),
        next: () => {
          const ready = inbox.shift()
          return ready ? Promise.resolve(ready) : new Promise((resolve) => readers.push(resolve))
        },
        close: () => ws.close(),
      }
      const waiter = waiting.shift()
      if (waiter) waiter(conn)
      else arrived.push(conn)
    })
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const { port } = http.address() as { port: number }
  return {
    url: `ws://127.0.0.1:${port}/mqtt`,
    accept: () => {
      const ready = arrived.shift()
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve))
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        wss.close()
        http.close(() => resolve())
      }),
  }
}
