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

/** Turns WebSocket messages into packets (see {@link packetReader}). */
export interface PacketReader {
  /** Calls `onPacket` for each whole packet in order; returns the error that ends the stream, if any. */
  push(chunk: Uint8Array, onPacket: (packet: IncomingPacket) => void): LiveTopicError | undefined
  /** Forgets a partial packet (a new connection starts clean). */
  reset(): void
  /** Bytes held for a packet not yet complete (tests check the memory bound with it). */
  readonly held: number
}

/**
 * Several packets in one message, one packet over several messages, and packets larger than
 * `maxSize` refused as soon as their fixed header is read, before their body arrives. A split
 * packet is written into one buffer of its announced size as its pieces come, so each byte is
 * copied once (a broker sending 1-byte messages costs linear time) and the reader never holds
 * more than `maxSize` besides the message being read.
 */
export function packetReader(level: ProtocolLevel, maxSize: number): PacketReader {
  /** The split packet, allocated at its full size once its fixed header is known. */
  let packet: Uint8Array | undefined
  let filled = 0
  /** The first bytes of a packet whose fixed header itself is split (at most 4). */
  let head: Uint8Array | undefined

  const decode = (b: Uint8Array, p: number, end: number): IncomingPacket | LiveTopicError => {
    let q = p + 1
    while (b[q]! >= 0x80) q++
    try {
      return decodePacket(b[p]!, { b, p: q + 1, end }, level)
    } catch (error) {
      return error instanceof Error && error.name === 'LiveTopicError' ? (error as LiveTopicError) : protocolError(String(error))
    }
  }

  return {
    get held() {
      return packet?.length ?? head?.length ?? 0
    },
    reset() {
      packet = head = undefined
      filled = 0
    },
    push(chunk, onPacket) {
      if (head) {
        // a split header is at most 4 bytes: put them in front of the chunk
        const joined = new Uint8Array(head.length + chunk.length)
        joined.set(head)
        joined.set(chunk, head.length)
        chunk = joined
        head = undefined
      }
      let p = 0
      if (packet) {
        const whole = packet
        p = Math.min(whole.length - filled, chunk.length)
        whole.set(chunk.subarray(0, p), filled)
        if ((filled += p) < whole.length) return undefined
        packet = undefined
        filled = 0
        const decoded = decode(whole, 0, whole.length)
        if (decoded instanceof Error) return decoded
        onPacket(decoded)
      }
      while (p < chunk.length) {
        const size = packetSize(chunk, p)
        if (size === INCOMPLETE) return void (head = chunk.slice(p))
        if (size === MALFORMED || size > maxSize)
          return protocolError(size < 0 ? 'malformed remaining length' : `a packet of ${size} bytes is over the maximum of ${maxSize}`)
        const end = p + size
        if (end > chunk.length) {
          packet = new Uint8Array(size)
          packet.set(chunk.subarray(p))
          filled = chunk.length - p
          return undefined
        }
        const decoded = decode(chunk, p, end)
        if (decoded instanceof Error) return decoded
        p = end
        onPacket(decoded)
      }
      return undefined
    },
  }
}
