import type { LiveTopicError } from '../errors.js'
import { protocolError } from './bytes.js'
import { decodePacket } from './decode.js'
import type { IncomingPacket, ProtocolLevel } from './packets.js'

/** A packet's whole size (fixed header included) at `p`; -1 while its header is incomplete. Throws when malformed. */
function packetSize(b: Uint8Array, p: number): number {
  let length = 0
  for (let q = p + 1, scale = 1; q < b.length; q++, scale *= 128) {
    if (q - p > 4) throw protocolError('malformed remaining length')
    const byte = b[q]!
    length += (byte & 0x7f) * scale
    if (byte < 0x80) return q + 1 - p + length
  }
  return -1
}

function join(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size)
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

const asError = (error: unknown): LiveTopicError =>
  error instanceof Error && error.name === 'LiveTopicError' ? (error as LiveTopicError) : protocolError(String(error))

/**
 * Turns WebSocket messages into packets: several packets in one message, one packet over several
 * messages, and packets larger than `maxSize` refused as soon as their fixed header is read, before
 * their body arrives. A split packet is kept as a list of pieces and copied once, when complete, so
 * a broker sending 1-byte messages costs linear time, and never more than `maxSize` plus one message.
 */
export class PacketReader {
  #parts: Uint8Array[] = []
  #held = 0
  /** Size of the split packet being gathered; -1 while its fixed header is still incomplete. */
  #size = -1

  constructor(
    public level: ProtocolLevel,
    public maxSize: number,
  ) {}

  /** Bytes held for a packet not yet complete (tests check the memory bound with it). */
  get held(): number {
    return this.#held
  }

  /** Calls `onPacket` for each whole packet in order; returns the error that ends the stream, if any. */
  push(chunk: Uint8Array, onPacket: (packet: IncomingPacket) => void): LiveTopicError | undefined {
    let p = 0
    // what onPacket throws is not bad bytes: it goes up as it is
    let calling = false
    const deliver = (packet: IncomingPacket): void => {
      calling = true
      onPacket(packet)
      calling = false
    }
    try {
      if (this.#held > 0) {
        p = this.#complete(chunk)
        if (p < 0) return undefined
        const whole = join(this.#parts, this.#size)
        this.reset()
        deliver(this.#decode(whole, 0, whole.length))
      }
      while (p < chunk.length) {
        const size = packetSize(chunk, p)
        this.#check(size)
        if (size < 0 || p + size > chunk.length) {
          this.#parts = [chunk.subarray(p)]
          this.#held = chunk.length - p
          this.#size = size
          return undefined
        }
        deliver(this.#decode(chunk, p, (p += size)))
      }
    } catch (error) {
      if (calling) throw error
      return asError(error)
    }
    return undefined
  }

  /** Forgets a partial packet (a new connection starts clean). */
  reset(): void {
    this.#parts = []
    this.#held = 0
    this.#size = -1
  }

  /** Adds `chunk` to the split packet: where it ends in `chunk`, or -1 while it needs more. */
  #complete(chunk: Uint8Array): number {
    if (this.#size < 0) {
      // the fixed header itself was split (it is at most 5 bytes): read it from what we hold and the chunk's head
      const head = join([...this.#parts, chunk.subarray(0, 5)], this.#held + Math.min(chunk.length, 5))
      this.#size = packetSize(head, 0)
      this.#check(this.#size)
    }
    const missing = this.#size < 0 ? Infinity : this.#size - this.#held
    if (chunk.length < missing) {
      this.#parts.push(chunk)
      this.#held += chunk.length
      return -1
    }
    this.#parts.push(chunk.subarray(0, missing))
    return missing
  }

  #check(size: number): void {
    if (size > this.maxSize) throw protocolError(`a packet of ${size} bytes is over the maximum of ${this.maxSize}`)
  }

  #decode(b: Uint8Array, p: number, end: number): IncomingPacket {
    let q = p + 1
    while (b[q]! >= 0x80) q++
    return decodePacket(b[p]!, { b, p: q + 1, end }, this.level)
  }
}
