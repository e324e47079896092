import type { Duplex } from 'node:stream'
import { createWebSocketStream, WebSocket } from 'ws'

/** Bytes buffered (in ws and here) above which `write()` asks aedes to wait for 'drain'. */
const HIGH_WATER_MARK = 64 * 1024

/**
 * The WebSocket as a stream for aedes, with everything written in one turn of the event loop sent
 * as ONE frame. aedes writes a PUBLISH in several pieces (header, topic, payload) and delivers each
 * message to each subscriber in its own setImmediate; through the Writable machinery and one frame
 * per write that is several stream writes and one writev syscall per delivery, which dominated
 * fan-out (`node --cpu-prof`). Here writes only append to a list, flushed by one `send` in the next
 * check phase: a subscriber gets all its deliveries of one turn in one frame. MQTT over WebSocket
 * allows a frame to carry several or partial packets.
 */
export function coalescingWebSocketStream(websocket: WebSocket): Duplex {
  const stream = createWebSocketStream(websocket)
  let pending: Buffer[] = []
  let pendingBytes = 0
  let owesDrain = false
  const flush = (): void => {
    if (pending.length === 0) return
    const data = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes)
    pending = []
    pendingBytes = 0
    if (websocket.readyState !== WebSocket.OPEN) return
    websocket.send(data, (error) => {
      if (error || !owesDrain || websocket.bufferedAmount + pendingBytes >= HIGH_WATER_MARK) return
      owesDrain = false
      stream.emit('drain')
    })
  }
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    // after end or destroy, or while connecting: the stream's own behaviour (errors included)
    if (stream.destroyed || stream.writableEnded || websocket.readyState !== WebSocket.OPEN) return write(chunk, ...rest)
    // mqtt-packet writes the topic as a string
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : typeof chunk === 'string'
        ? Buffer.from(chunk, typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8')
        : Buffer.from((chunk as Uint8Array).buffer, (chunk as Uint8Array).byteOffset, (chunk as Uint8Array).byteLength)
    if (pending.length === 0) setImmediate(flush)
    pending.push(bytes)
    pendingBytes += bytes.length
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined
    if (callback) process.nextTick(callback)
    const ok = websocket.bufferedAmount + pendingBytes < HIGH_WATER_MARK
    if (!ok) owesDrain = true
    return ok
  }) as Duplex['write']
  // what is still pending goes out before a close
  const final = stream._final.bind(stream)
  stream._final = (callback) => {
    flush()
    final(callback)
  }
  const destroy = stream._destroy.bind(stream)
  stream._destroy = (error, callback) => {
    flush()
    destroy(error, callback)
  }
  stream.on('error', () => websocket.terminate())
  return stream
}
