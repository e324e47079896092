import type { Duplex } from 'node:stream'
import { createWebSocketStream, WebSocket } from 'ws'
import { OutgoingQueue, registerOutgoingQueue } from './outgoing-queue.js'

/**
 * The WebSocket as a stream for aedes, with everything written in one turn of the event loop sent
 * as ONE frame. aedes writes a PUBLISH in several pieces (header, topic, payload) and delivers each
 * message to each subscriber in its own setImmediate; through the Writable machinery and one frame
 * per write that is several stream writes and one writev syscall per delivery, which dominated
 * fan-out (`node --cpu-prof`). Here writes only append to a list, flushed by one `send` in the next
 * check phase: a subscriber gets all its deliveries of one turn in one frame. MQTT over WebSocket
 * allows a frame to carry several or partial packets.
 *
 * `write()` never asks for 'drain': aedes waits for it with its message bus, so one subscriber that
 * stops reading froze every client. What is queued is counted ({@link OutgoingQueue}) and bounded by
 * the slow-consumer limits (aedes-adapter/slow-consumers.ts) instead.
 */
export function coalescingWebSocketStream(websocket: WebSocket): Duplex {
  const stream = createWebSocketStream(websocket)
  const queue = new OutgoingQueue()
  registerOutgoingQueue(stream, queue)
  let pending: Buffer[] = []
  let pendingBytes = 0
  const flush = (): void => {
    if (pending.length === 0) return
    const data = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes)
    pending = []
    pendingBytes = 0
    if (websocket.readyState !== WebSocket.OPEN) return queue.sent(data.length)
    // called once the frame is handed to the socket (or fails with it)
    websocket.send(data, () => queue.sent(data.length))
  }
  // mqtt-packet corks once per packet (to batch its pieces, which the list here does already)
  stream.cork = () => queue.packet()
  stream.uncork = () => {}
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
    queue.wrote(bytes.length)
    return true
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
