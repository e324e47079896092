import mqttPacket, { type Packet } from 'mqtt-packet'
import { packetReader } from '../../../packages/core/src/wire/reader.js'
import type { IncomingPacket, ProtocolLevel } from '../../../packages/core/src/wire/packets.js'

/** Every packet mqtt-packet's parser reads from `bytes`; throws its error. */
export function referenceParse(bytes: Uint8Array, protocolVersion: ProtocolLevel): Packet[] {
  const parser = mqttPacket.parser({ protocolVersion })
  const packets: Packet[] = []
  let failure: Error | undefined
  parser.on('packet', (p) => packets.push(p))
  parser.on('error', (e: Error) => {
    failure ??= e
  })
  parser.parse(Buffer.from(bytes))
  if (failure) throw failure
  return packets
}

/** mqtt-packet's bytes for `packet`. */
export const referenceGenerate = (packet: Packet, protocolVersion: ProtocolLevel): Uint8Array =>
  new Uint8Array(mqttPacket.generate(withBuffers(packet) as Packet, { protocolVersion }))

// mqtt-packet wants Node Buffers where the packet has bytes
function withBuffers(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value)
  if (Array.isArray(value)) return value.map(withBuffers)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withBuffers(v)]))
  return value
}

/** Our reader over `chunks`, in order; collects packets and the error that ended it. */
export function readChunks(chunks: Uint8Array[], level: ProtocolLevel, maxSize = 1 << 24): { packets: IncomingPacket[]; error?: unknown } {
  const reader = packetReader(level, maxSize)
  const packets: IncomingPacket[] = []
  for (const chunk of chunks) {
    const error = reader.push(chunk, (p) => packets.push(p))
    if (error) return { packets, error }
  }
  return { packets }
}

/** `bytes` cut at the given points (sorted, deduplicated, inside the array). */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const out: Uint8Array[] = []
  let from = 0
  for (const p of points) {
    out.push(bytes.slice(from, p))
    from = p
  }
  out.push(bytes.slice(from))
  return out
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
