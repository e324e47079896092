import type { LiveTopicError } from '../errors.js'
import { protocolError, type Cursor } from './bytes.js'
import { decodePacket } from './decode.js'
import type { IncomingPacket, ProtocolLevel } from './packets.js'

/**
 * Turns WebSocket messages into packets: several packets in one message, one packet over several
 * messages, and packets larger than `maxSize` refused as soon as their header is read.
 */
export class PacketReader {
  private rest: Uint8Array | undefined

  constructor(
    public level: ProtocolLevel,
    public maxSize: number,
  ) {}

  /** Calls `onPacket` for each whole packet in order; returns the error that ends the stream, if any. */
  push(chunk: Uint8Array, onPacket: (packet: IncomingPacket) => void): LiveTopicError | undefined {
    let b = chunk
    if (this.rest) {
      b = new Uint8Array(this.rest.length + chunk.length)
      b.set(this.rest)
      b.set(chunk, this.rest.length)
      this.rest = undefined
    }
    let p = 0
    while (p < b.length) {
      // fixed header: type byte, then the remaining length (1 to 4 bytes)
      let length = 0
      let q = p + 1
      for (let scale = 1; ; scale *= 128, q++) {
        if (q >= b.length) return void (this.rest = b.slice(p))
        if (q - p > 4) return protocolError('malformed remaining length')
        const byte = b[q]!
        length += (byte & 0x7f) * scale
        if (byte < 0x80) break
      }
      const end = q + 1 + length
      if (end - p > this.maxSize) return protocolError(`a packet of ${end - p} bytes is over the maximum of ${this.maxSize}`)
      if (end > b.length) return void (this.rest = b.slice(p))
      let packet: IncomingPacket
      try {
        const cursor: Cursor = { b, p: q + 1, end }
        packet = decodePacket(b[p]!, cursor, this.level)
      } catch (error) {
        return error instanceof Error && error.name === 'LiveTopicError' ? (error as LiveTopicError) : protocolError(String(error))
      }
      p = end
      onPacket(packet)
    }
    return undefined
  }

  /** Forgets a partial packet (a new connection starts clean). */
  reset(): void {
    this.rest = undefined
  }
}
