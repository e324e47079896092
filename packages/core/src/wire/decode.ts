// Decoder for the packets a broker sends a client.
import { protocolError, str, u16, u8, type Cursor } from './bytes.js'
import type { IncomingPacket, ProtocolLevel, WireQoS } from './packets.js'
import { readProperties, type Properties } from './properties.js'

/** The packet types a broker sends, publish aside. */
const TYPES = {
  2: 'connack',
  4: 'puback',
  5: 'pubrec',
  6: 'pubrel',
  7: 'pubcomp',
  9: 'suback',
  11: 'unsuback',
  13: 'pingresp',
  14: 'disconnect',
} as const

/** Decodes the body at `c` (the fixed header already read: `first` is its first byte). Throws a PROTOCOL_ERROR. */
export function decodePacket(first: number, c: Cursor, level: ProtocolLevel): IncomingPacket {
  const v5 = level === 5
  if (first >> 4 === 3) {
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
  const type = TYPES[(first >> 4) as keyof typeof TYPES]
  if (!type) throw protocolError(`unexpected packet type ${first >> 4}`)
  if ((first & 15) !== (type === 'pubrel' ? 2 : 0)) throw protocolError('reserved flags set')
  if (type === 'connack') {
    const ack = u8(c)
    if (ack > 1) throw protocolError('CONNACK flags')
    const packet: IncomingPacket = { type, sessionPresent: ack === 1, reasonCode: u8(c) }
    return done(c, withProperties(c, v5, packet))
  }
  if (type === 'suback' || type === 'unsuback') {
    const packet: IncomingPacket = { type, id: u16(c), codes: [] }
    withProperties(c, v5, packet)
    // 3.1.1's UNSUBACK has no payload; every other has one code per filter
    while (c.p < c.end) packet.codes.push(u8(c))
    return packet
  }
  if (type === 'pingresp') return done(c, { type })
  // PUBACK…PUBCOMP (an id first) and DISCONNECT: MQTT 5 may add a reason code, then properties
  const packet: IncomingPacket = type === 'disconnect' ? { type, reasonCode: 0 } : { type, id: u16(c), reasonCode: 0 }
  if (v5 && c.p < c.end) {
    packet.reasonCode = u8(c)
    withProperties(c, c.p < c.end, packet)
  }
  return done(c, packet)
}

/** Reads the packet's properties when `present` (an empty block adds none). */
function withProperties<T extends { properties?: Properties }>(c: Cursor, present: boolean, packet: T): T {
  const properties = present ? readProperties(c) : undefined
  if (properties) packet.properties = properties
  return packet
}

function done<T>(c: Cursor, packet: T): T {
  if (c.p !== c.end) throw protocolError('bytes left after the packet')
  return packet
}
