import type { Socket } from 'node:net'
import mqttPacket, { type Packet } from 'mqtt-packet'
import WebSocket from 'ws'

/** A bare MQTT 3.1.1 client over `ws` whose TCP socket a test can pause (a subscriber that stops reading). */
export interface RawWsClient {
  readonly socket: Socket
  readonly packets: Packet[]
  send(packet: Packet): void
  /** Resolves with the first packet (received from now on or already) that `match` accepts. */
  next(match: (p: Packet) => boolean, ms?: number): Promise<Packet>
  readonly closed: Promise<void>
  close(): void
}

/** Connects, sends CONNECT and resolves once CONNACK arrived. */
export async function rawWsClient(url: string, clientId: string, options: { clean?: boolean; localAddress?: string } = {}): Promise<RawWsClient> {
  const ws = new WebSocket(url, 'mqtt', { perMessageDeflate: false, ...(options.localAddress ? { localAddress: options.localAddress } : {}) })
  const parser = mqttPacket.parser({ protocolVersion: 4 })
  const packets: Packet[] = []
  const waiters = new Set<() => void>()
  parser.on('packet', (p) => {
    packets.push(p)
    for (const w of [...waiters]) w()
  })
  ws.on('message', (data: Buffer) => parser.parse(data))
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  ws.on('error', () => {})
  const client: RawWsClient = {
    socket: (ws as unknown as { _socket: Socket })._socket,
    packets,
    send: (packet) => ws.send(mqttPacket.generate(packet)),
    next: (match, ms = 5000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const found = packets.find(match)
          if (!found) return
          waiters.delete(check)
          clearTimeout(timer)
          resolve(found)
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`no matching packet within ${ms} ms`))
        }, ms)
        waiters.add(check)
        check()
      }),
    closed,
    close: () => ws.terminate(),
  }
  client.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: options.clean ?? true, clientId, keepalive: 60 })
  await client.next((p) => p.cmd === 'connack')
  return client
}
