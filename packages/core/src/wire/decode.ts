// Decoder for the packets a broker sends a client.
import { protocolError, str, u16, u8, type Cursor } from './bytes.js'
import type { IncomingPacket, ProtocolLevel, WireQoS } from './packets.js'
import { readProperties } from './properties.js'

const ACKS = { 4: 'puback', 5: 'pubrec', 6: 'pubrel', 7: 'pubcomp' } as const

/** Decodes the body at `c` (the fixed header already read: `first` is its first byte). Throws a PROTOCOL_ERROR. */
export function decodePacket(first: number, c: Cursor, level: ProtocolLevel): IncomingPacket {
  const type = first >> 4
  const v5 = level === 5
  switch (type) {
    case 3: {
      const bits = (first >> 1) & 3
      if (bits === 3) throw protocolError('PUBLISH with QoS 3')
      const qos = bits as WireQoS
      const topic = str(c)
      const id = qos > 0 ? u16(c) : undefined
      const properties = v5 ? readProperties(c) : undefined
      const packet: IncomingPacket = { type: 'publish', topic, payload: c.b.subarray(c.p, c.end), qos, retain: (first & 1) === 1, dup: (first & 8) === 8 }
      if (id !== undefined) packet.id = id
      if (properties) packet.properties = properties
      return packet
    }
    case 2: {
      flags(first, 0)
      const ack = u8(c)
      if (ack > 1) throw protocolError('CONNACK flags')
      const packet: IncomingPacket = { type: 'connack', sessionPresent: ack === 1, reasonCode: u8(c) }
      const properties = v5 ? readProperties(c) : undefined
      if (properties) packet.properties = properties
      return done(c, packet)
    }
    case 4:
    case 5:
    case 6:
    case 7: {
      flags(first, type === 6 ? 2 : 0)
      const packet: IncomingPacket = { type: ACKS[type], id: u16(c), reasonCode: 0 }
      if (v5 && c.p < c.end) {
        packet.reasonCode = u8(c)
        const properties = c.p < c.end ? readProperties(c) : undefined
        if (properties) packet.properties = properties
      }
      return done(c, packet)
    }
    case 9:
    case 11: {
      flags(first, 0)
      const packet: IncomingPacket = { type: type === 9 ? 'suback' : 'unsuback', id: u16(c), codes: [] }
      const properties = v5 ? readProperties(c) : undefined
      if (properties) packet.properties = properties
      // 3.1.1's UNSUBACK has no payload; every other has one code per filter
      while (c.p < c.end) packet.codes.push(u8(c))
      return packet
    }
    case 13:
      flags(first, 0)
      return done(c, { type: 'pingresp' })
    case 14: {
      flags(first, 0)
      const packet: IncomingPacket = { type: 'disconnect', reasonCode: 0 }
      if (v5 && c.p < c.end) {
        packet.reasonCode = u8(c)
        const properties = c.p < c.end ? readProperties(c) : undefined
        if (properties) packet.properties = properties
      }
      return done(c, packet)
    }
    default:
      throw protocolError(`unexpected packet type ${type}`)
  }
}

function flags(first: number, expected: number): void {
  if ((first & 15) !== expected) throw protocolError('reserved flags set')
}

function done<T>(c: Cursor, packet: T): T {
  if (c.p !== c.end) throw protocolError('bytes left after the packet')
  return packet
}
