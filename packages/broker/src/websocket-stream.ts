import type { Duplex } from 'node:stream'
import { createWebSocketStream, type WebSocket } from 'ws'

/**
 * The WebSocket as a stream for aedes, with the writes of one tick sent as ONE frame. aedes
 * writes a PUBLISH in several pieces (header, topic, payload); as separate frames that is 3×
 * the syscalls and frame headers per delivery, which dominated fan-out. MQTT over WebSocket
 * allows a frame to carry several or partial packets.
 */
export function coalescingWebSocketStream(websocket: WebSocket): Duplex {
  const stream = createWebSocketStream(websocket)
  // with _writev, uncork() hands every write buffered since cork() over at once
  ;(stream as Duplex & { _writev: Duplex['_writev'] })._writev = (chunks, callback) => {
    websocket.send(chunks.length === 1 ? chunks[0]!.chunk : Buffer.concat(chunks.map((c) => c.chunk as Buffer)), callback)
  }
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean
  let corked = false
  stream.write = ((...args: unknown[]) => {
    if (!corked) {
      corked = true
      stream.cork()
      process.nextTick(() => {
        corked = false
        stream.uncork()
      })
    }
    return write(...args)
  }) as Duplex['write']
  stream.on('error', () => websocket.terminate())
  return stream
}
