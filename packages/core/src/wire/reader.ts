import type { LiveTopicError } from '../errors.js'
import { protocolError } from './bytes.js'
import { decodePacket } from './decode.js'
import type { IncomingPacket, ProtocolLevel } from './packets.js'

const INCOMPLETE = -1
const MALFORMED = -2

/** A packet's whole size (fixed header included) at `p`: INCOMPLETE while its header is, or MALFORMED. */
function packetSize(b: Uint8Array, p: number): number {
  let length = 0
  for (let q = p + 1, scale = 1; q < b.length; q++, scale *= 128) {
    if (q - p > 4) return MALFORMED
    const byte = b[q]!
    length += (byte & 0x7f) * scale
    if (byte < 0x80) return q + 1 - p + length
  }
  return INCOMPLETE
}

/**
 * Turns WebSocket messages into packets: several packets in one message, one packet over several
 * messages, and packets larger than `maxSize` refused as soon as their fixed header is read, before
 * their body arrives. A split packet is written into one buffer of its announced size as its
 * pieces come, so each byte is copied once (a broker sending 1-byte messages costs linear time)
 * and the reader never holds more than `maxSize` besides the message being read.
 */
export class PacketReader {
  /** The split packet, allocated at its full size once its fixed header is known. */
  #packet: Uint8Array | undefined
  #filled = 0
  /** The first bytes of a packet whose fixed header itself is split (at most 4). */
  #head: number[] = []

  constructor(
    public level: ProtocolLevel,
    public maxSize: number,
  ) {}

  /** Bytes held for a packet not yet complete (tests check the memory bound with it). */
  get held(): number {
    return this.#packet?.length ?? this.#head.length
  }

  /** Calls `onPacket` for each whole packet in order; returns the error that ends the stream, if any. */
  push(chunk: Uint8Array, onPacket: (packet: IncomingPacket) => void): LiveTopicError | undefined {
    let p = 0
    if (this.#head.length > 0) {
      // the header was split: read it from what we kept and the chunk's first bytes (a header is ≤ 5 bytes)
      const head = Uint8Array.from([...this.#head, ...chunk.subarray(0, 5)])
      const size = packetSize(head, 0)
      if (size === INCOMPLETE) return void this.#head.push(...chunk)
      const error = this.#start(size)
      if (error) return error
      this.#packet!.set(this.#head)
      this.#filled = this.#head.length
      this.#head = []
    }
    if (this.#packet) {
      const packet = this.#packet
      p = Math.min(packet.length - this.#filled, chunk.length)
      if (p < 64) for (let i = 0; i < p; i++) packet[this.#filled + i] = chunk[i]!
      else packet.set(chunk.subarray(0, p), this.#filled)
      if ((this.#filled += p) < packet.length) return undefined
      this.reset()
      const decoded = this.#decode(packet, 0, packet.length)
      if (decoded instanceof Error) return decoded
      onPacket(decoded)
    }
    while (p < chunk.length) {
      const size = packetSize(chunk, p)
      if (size === INCOMPLETE) return void (this.#head = [...chunk.subarray(p)])
      if (size === MALFORMED || size > this.maxSize) return this.#start(size)
      const end = p + size
      if (end > chunk.length) {
        this.#start(size)
        this.#packet!.set(chunk.subarray(p))
        this.#filled = chunk.length - p
        return undefined
      }
      const decoded = this.#decode(chunk, p, end)
      if (decoded instanceof Error) return decoded
      p = end
      onPacket(decoded)
    }
    return undefined
  }

  /** Forgets a partial packet (a new connection starts clean). */
  reset(): void {
    this.#packet = undefined
    this.#filled = 0
    this.#head = []
  }

  /** Allocates a split packet of `size` bytes, unless the size is malformed or over the maximum. */
  #start(size: number): LiveTopicError | undefined {
    if (size === MALFORMED) return protocolError('malformed remaining length')
    if (size > this.maxSize) return protocolError(`a packet of ${size} bytes is over the maximum of ${this.maxSize}`)
    this.#packet = new Uint8Array(size)
    return undefined
  }

  #decode(b: Uint8Array, p: number, end: number): IncomingPacket | LiveTopicError {
    let q = p + 1
    while (b[q]! >= 0x80) q++
    try {
      return decodePacket(b[p]!, { b, p: q + 1, end }, this.level)
    } catch (error) {
      return error instanceof Error && error.name === 'LiveTopicError' ? (error as LiveTopicError) : protocolError(String(error))
    }
  }
}
