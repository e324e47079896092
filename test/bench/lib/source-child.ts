// A message source that outpaces any one client, in its own process (its own core): a WebSocket
// server on 127.0.0.1 speaking just enough MQTT 3.1.1 (CONNACK, SUBACK granting QoS 0, UNSUBACK,
// PINGRESP) and, to each connection that subscribes to the topic, writing the same N QoS 0 PUBLISH
// packets, as fast as the client reads them. The packets are framed once, ahead of time, as binary
// WebSocket messages of about `messageBytes` (0: one packet each, as Mosquitto frames them; 32 KiB:
// as a server whose socket writes coalesce does), and written to the TCP socket in blocks of about
// 32 KiB: streaming costs the source a few large writes, whatever the framing.
// Driven over IPC: a SourceSetup once, answered with { url, packetBytes }; then one { streamed }
// report per connection served.
import { createServer } from 'node:http'
import type { Duplex } from 'node:stream'
import mqttPacket from 'mqtt-packet'
import { WebSocketServer, type WebSocket } from 'ws'
import { payloadOf } from './payload.js'
import type { SourceSetup, StreamReport } from './source.js'

/** Bytes per TCP write while streaming. */
const BLOCK_BYTES = 32 * 1024

/** An unmasked server→client binary WebSocket frame (FIN set) carrying `payload`. */
function frame(payload: Buffer): Buffer {
  const n = payload.length
  if (n < 126) return Buffer.concat([Buffer.from([0x82, n]), payload])
  if (n < 65_536) return Buffer.concat([Buffer.from([0x82, 126, n >> 8, n & 0xff]), payload])
  const header = Buffer.from([0x82, 127, 0, 0, 0, 0, 0, 0, 0, 0])
  header.writeBigUInt64BE(BigInt(n), 2)
  return Buffer.concat([header, payload])
}

/** The N PUBLISH packets (payloads padded to `size`, so all are one length), framed, packed into TCP blocks. */
function encode({ topic, count, size, messageBytes }: SourceSetup): { blocks: Buffer[]; packetBytes: number } {
  const packets = Array.from({ length: count }, (_, seq) =>
    mqttPacket.generate({ cmd: 'publish', topic, payload: payloadOf(seq, size), qos: 0, dup: false, retain: false }),
  )
  const packetBytes = packets[0]!.length
  if (packets.some((p) => p.length !== packetBytes)) throw new Error(`payloads of ${size} bytes are not all one length`)
  const packetsPerMessage = Math.max(1, Math.floor(messageBytes / packetBytes))
  const frames: Buffer[] = []
  for (let at = 0; at < count; at += packetsPerMessage) {
    frames.push(frame(Buffer.concat(packets.slice(at, at + packetsPerMessage))))
  }
  const blocks: Buffer[] = []
  for (let at = 0; at < frames.length;) {
    const block: Buffer[] = []
    let bytes = 0
    while (at < frames.length && (block.length === 0 || bytes + frames[at]!.length <= BLOCK_BYTES)) {
      bytes += frames[at]!.length
      block.push(frames[at++]!)
    }
    blocks.push(Buffer.concat(block))
  }
  return { blocks, packetBytes }
}

/** Writes `blocks` to `socket`, waiting for `drain` when it buffers: memory stays bounded, the client sets the pace. */
function stream(socket: Duplex, blocks: readonly Buffer[], count: number): void {
  const startCpu = process.cpuUsage()
  let next = 0
  let reported = false
  const report = (error?: Error): void => {
    if (reported) return
    reported = true
    socket.off('close', early)
    const cpu = process.cpuUsage(startCpu)
    const streamed: StreamReport = { messages: error ? 0 : count, cpuMicros: cpu.user + cpu.system }
    process.send?.({ streamed, ...(error ? { error: error.message } : {}) })
  }
  const early = (): void => report(new Error(`the client closed after ${next} of ${blocks.length} blocks`))
  socket.once('close', early)
  const pump = (): void => {
    while (next < blocks.length) {
      const block = blocks[next++]!
      if (next === blocks.length) return void socket.write(block, (error) => report(error ?? undefined))
      if (!socket.write(block)) return void socket.once('drain', pump)
    }
  }
  pump()
}

function serve(ws: WebSocket, socket: Duplex, topic: string, blocks: readonly Buffer[], count: number): void {
  const parser = mqttPacket.parser({ protocolVersion: 4 })
  // ws.send writes whole frames to the same socket, in order, so these never split a streamed frame
  const reply = (packet: mqttPacket.Packet): void => ws.send(mqttPacket.generate(packet))
  let streaming = false
  parser.on('packet', (packet) => {
    if (packet.cmd === 'connect') reply({ cmd: 'connack', returnCode: 0, sessionPresent: false })
    else if (packet.cmd === 'pingreq') reply({ cmd: 'pingresp' })
    else if (packet.cmd === 'unsubscribe') reply({ cmd: 'unsuback', messageId: packet.messageId, granted: [] })
    else if (packet.cmd === 'subscribe') {
      reply({ cmd: 'suback', messageId: packet.messageId, granted: packet.subscriptions.map(() => 0 as const) })
      // one stream per connection, after its SUBACK
      if (!streaming && packet.subscriptions.some((s) => s.topic === topic)) {
        streaming = true
        stream(socket, blocks, count)
      }
    }
  })
  parser.on('error', (error: Error) => {
    process.send?.({ error: `bad packet from the client: ${error.message}` })
    ws.terminate()
  })
  ws.on('message', (data: Buffer) => parser.parse(data))
  ws.on('error', () => ws.terminate())
}

const http = createServer((_req, res) => res.writeHead(404).end())
const sockets = new Set<Duplex>()
process.once('message', (setup: SourceSetup) => {
  const { blocks, packetBytes } = encode(setup)
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 })
  // the upgrade hands over the TCP socket: the stream is written to it directly, pre-framed
  http.on('upgrade', (req, socket: Duplex, head: Buffer) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, socket, setup.topic, blocks, setup.count))
  })
  http.once('error', (error) => process.send?.({ error: error.message }))
  http.listen(0, '127.0.0.1', () => {
    const { port } = http.address() as { port: number }
    process.send?.({ url: `ws://127.0.0.1:${port}/mqtt`, packetBytes })
  })
})
process.on('disconnect', () => {
  for (const socket of sockets) socket.destroy()
  http.close()
  process.exit(0)
})
