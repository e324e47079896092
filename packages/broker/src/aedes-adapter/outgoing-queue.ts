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
  /** Packets held back before being written (the in-flight window's), counted as queued. */
  #held = 0
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

  /** `n` more (or, negative, fewer) packets wait before being written. */
  holding(n: number): void {
    this.#held += n
    if (n > 0) this.onWrite()
  }

  /** Packets written and not yet (begun to be) sent, and packets held back. */
  get packets(): number {
    return this.#starts.length - this.#head + this.#held
  }
}

/**
 * MQTT 5 Receive Maximum (§3.3.4): at most `max()` QoS 1 PUBLISH unacknowledged by the client at
 * once; the next ones wait, in order, for a PUBACK. Held packets count in the connection's
 * {@link OutgoingQueue}, so a client that stops acknowledging meets the slow-consumer limits.
 */
export class InFlightWindow {
  readonly #inFlight = new Set<number>()
  readonly #held: [number, () => boolean][] = []
  readonly #queue: OutgoingQueue
  readonly #max: () => number

  /** `max` is read on each send: the client's Receive Maximum is known once its CONNECT is. */
  constructor(queue: OutgoingQueue, max: () => number) {
    this.#queue = queue
    this.#max = max
  }

  /** A QoS 1 PUBLISH with `messageId`: written by `write` now, or once the window has room. */
  send(messageId: number, write: () => boolean): boolean {
    // a resent message (DUP) is in flight already
    if (this.#inFlight.has(messageId) || (this.#held.length === 0 && this.#inFlight.size < this.#max())) {
      this.#inFlight.add(messageId)
      return write()
    }
    this.#held.push([messageId, write])
    this.#queue.holding(1)
    return true
  }

  /** The client acknowledged `messageId`: the next held packets go out. */
  acked(messageId: number): void {
    this.#inFlight.delete(messageId)
    while (this.#held.length > 0 && this.#inFlight.size < this.#max()) {
      const [id, write] = this.#held.shift()!
      this.#queue.holding(-1)
      this.#inFlight.add(id)
      write()
    }
  }

  /** Messages unacknowledged by the client now. */
  get inFlight(): number {
    return this.#inFlight.size
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
