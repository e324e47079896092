import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'

/**
 * What a connection has been given to send and not yet handed to the kernel: bytes, and MQTT
 * packets. mqtt-packet corks the stream once per packet it writes, so a cork marks where a packet
 * starts; a packet counts as gone once its first byte is sent.
 */
export class OutgoingQueue {
  #written = 0
  #sent = 0
  /** Byte offsets where the queued packets start, oldest first, from #head on. */
  #starts: number[] = []
  #head = 0
  /** Called after each write, to check the queue against its limits. */
  onWrite: () => void = () => {}

  /** A packet starts here. */
  packet(): void {
    this.#starts.push(this.#written)
  }

  wrote(bytes: number): void {
    this.#written += bytes
    this.onWrite()
  }

  sent(bytes: number): void {
    this.#sent += bytes
    while (this.#head < this.#starts.length && this.#starts[this.#head]! < this.#sent) this.#head++
    // drop what is behind the head now and then, not on every packet
    if (this.#head > 1024 && this.#head * 2 > this.#starts.length) {
      this.#starts = this.#starts.slice(this.#head)
      this.#head = 0
    }
  }

  /** Bytes written and not yet sent. */
  get bytes(): number {
    return this.#written - this.#sent
  }

  /** Packets written and not yet (begun to be) sent. */
  get packets(): number {
    return this.#starts.length - this.#head
  }
}

const queues = new WeakMap<Duplex | Socket, OutgoingQueue>()

/** The queue of a stream made by `coalescingWebSocketStream` or passed to {@link trackSocketWrites}. */
export const outgoingQueueOf = (stream: Duplex | Socket): OutgoingQueue | undefined => queues.get(stream)

/** Registers a stream's queue. */
export function registerOutgoingQueue(stream: Duplex | Socket, queue: OutgoingQueue): void {
  queues.set(stream, queue)
}

/**
 * A TCP socket whose `write()` never asks for 'drain': aedes waits for it with the message bus, so one
 * client that stops reading would stall every other (the slow-consumer limits bound the queue instead).
 */
export function trackSocketWrites(socket: Socket): OutgoingQueue {
  const queue = new OutgoingQueue()
  registerOutgoingQueue(socket, queue)
  const cork = socket.cork.bind(socket)
  socket.cork = () => {
    queue.packet()
    cork()
  }
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean
  socket.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : undefined
    const callback = rest.find((r) => typeof r === 'function') as ((error?: Error | null) => void) | undefined
    const bytes = typeof chunk === 'string' ? Buffer.byteLength(chunk, encoding) : chunk.byteLength
    queue.wrote(bytes)
    write(chunk, encoding ?? 'utf8', (error?: Error | null) => {
      queue.sent(bytes)
      callback?.(error)
    })
    return true
  }
  return queue
}
