// Encoders for the packets a client sends. Each returns one complete packet.
import { Writer } from './bytes.js'
import type { AckPacket, ConnectPacket, ProtocolLevel, PublishPacket, SubscribePacket, UnsubscribePacket } from './packets.js'
import { writeProperties, type Properties } from './properties.js'

/** Prefixes the body with the fixed header (type and flags, remaining length). */
function frame(first: number, body: Writer): Uint8Array {
  const packet = new Writer()
  packet.u8(first)
  packet.varint(body.p)
  packet.raw(body.bytes())
  return packet.bytes()
}

export function encodeConnect(packet: ConnectPacket): Uint8Array {
  const { level, will } = packet
  const w = new Writer()
  w.str(level === 3 ? 'MQIsdp' : 'MQTT')
  w.u8(level)
  let flags = packet.clean ? 0x02 : 0
  if (will) flags |= 0x04 | (will.qos << 3) | (will.retain ? 0x20 : 0)
  if (packet.password !== undefined) flags |= 0x40
  if (packet.username !== undefined) flags |= 0x80
  w.u8(flags)
  w.u16(packet.keepalive)
  if (level === 5) writeProperties(w, packet.properties)
  w.str(packet.clientId)
  if (will) {
    if (level === 5) writeProperties(w, will.properties)
    w.str(will.topic)
    w.bin(will.payload)
  }
  if (packet.username !== undefined) w.str(packet.username)
  if (packet.password !== undefined) w.bin(packet.password)
  return frame(0x10, w)
}

export function encodePublish(packet: Omit<PublishPacket, 'type'>, level: ProtocolLevel): Uint8Array {
  const w = new Writer()
  w.str(packet.topic)
  if (packet.qos > 0) w.u16(packet.id!)
  if (level === 5) writeProperties(w, packet.properties)
  w.raw(packet.payload)
  return frame(0x30 | (packet.dup ? 8 : 0) | (packet.qos << 1) | (packet.retain ? 1 : 0), w)
}

const ACK_TYPES = { puback: 0x40, pubrec: 0x50, pubrel: 0x62, pubcomp: 0x70 } as const

/**
 * A success acknowledgement written directly (4 bytes, no Writer): PUBACK 0x40, PUBREC 0x50,
 * PUBCOMP 0x70. The same bytes as `encodeAck` without reason code or properties, at every level.
 */
export const encodeShortAck = (first: 0x40 | 0x50 | 0x70, id: number): Uint8Array => Uint8Array.of(first, 2, id >> 8, id & 0xff)

/** PUBACK/PUBREC/PUBREL/PUBCOMP; under MQTT 5 a success without properties is the short form. */
export function encodeAck(packet: Omit<AckPacket, 'reasonCode'> & { reasonCode?: number }, level: ProtocolLevel): Uint8Array {
  const w = new Writer()
  w.u16(packet.id)
  if (level === 5 && (packet.reasonCode || packet.properties)) {
    w.u8(packet.reasonCode ?? 0)
    if (packet.properties) writeProperties(w, packet.properties)
  }
  return frame(ACK_TYPES[packet.type], w)
}

export function encodeSubscribe(packet: SubscribePacket, level: ProtocolLevel): Uint8Array {
  const w = new Writer()
  w.u16(packet.id)
  if (level === 5) writeProperties(w, packet.properties)
  for (const s of packet.subscriptions) {
    w.str(s.topic)
    w.u8(level === 5 ? s.qos | (s.nl ? 4 : 0) | (s.rap ? 8 : 0) | ((s.rh ?? 0) << 4) : s.qos)
  }
  return frame(0x82, w)
}

export function encodeUnsubscribe(packet: UnsubscribePacket, level: ProtocolLevel): Uint8Array {
  const w = new Writer()
  w.u16(packet.id)
  if (level === 5) writeProperties(w, packet.properties)
  for (const topic of packet.topics) w.str(topic)
  return frame(0xa2, w)
}

export const PINGREQ = Uint8Array.of(0xc0, 0)

/** DISCONNECT; under MQTT 5 with a reason code (0 = normal). */
export function encodeDisconnect(level: ProtocolLevel, reasonCode = 0, properties?: Properties): Uint8Array {
  const w = new Writer()
  if (level === 5 && (reasonCode || properties)) {
    w.u8(reasonCode)
    if (properties) writeProperties(w, properties)
  }
  return frame(0xe0, w)
}
