// One handler per packet the broker sends once connected. Each gets the state it touches as
// parameters (functions, not methods of a context object: property names would not minify in the
// size-budgeted page) and returns the error that ends the connection, if any.
import type { LiveTopicError } from '../errors.js'
import { publishFailure, type TransportHandlers } from '../transport.js'
import { protocolError } from '../wire/bytes.js'
import { encodeShortAck } from '../wire/encode.js'
import type { AckPacket, IncomingPacket, PublishPacket } from '../wire/packets.js'
import { pubackError } from '../wire/reasons.js'

/** Sends an answer (into the frame of the message being read), or nothing once the socket is gone. */
type Answer = (bytes: Uint8Array) => void

/** A QoS 1 publish sent and waiting for its PUBACK. */
export interface InFlight {
  readonly topic: string
  readonly bytes: Uint8Array
  readonly retain: boolean
  resolve(): void
  reject(error: LiveTopicError): void
}

/** A QoS 1 publish held back by the broker's receive maximum: `go` sends it. */
export interface Waiting {
  go(): void
  reject(error: LiveTopicError): void
}

/** A SUBSCRIBE or UNSUBSCRIBE waiting for its SUBACK or UNSUBACK. */
export interface Request {
  resolve(codes: number[]): void
  reject(error: LiveTopicError): void
}

/**
 * PUBLISH: delivered, then answered with PUBACK (QoS 1) or PUBREC (QoS 2). A generic broker may
 * send QoS 2 if a subscription was granted it: delivered once per id in `qos2` until its PUBREL.
 */
export function onPublish(packet: PublishPacket, qos2: Set<number>, handlers: TransportHandlers, answer: Answer): LiveTopicError | undefined {
  if (packet.properties?.topicAlias !== undefined) return protocolError('topic alias that was never allowed')
  const { id, qos } = packet
  if (qos === 2) {
    if (!qos2.has(id!)) {
      qos2.add(id!)
      handlers.onMessage(packet.topic, packet.payload, 2, packet.retain)
    }
    answer(encodeShortAck(0x50, id!))
  } else {
    handlers.onMessage(packet.topic, packet.payload, qos, packet.retain)
    if (qos === 1) answer(encodeShortAck(0x40, id!))
  }
  return undefined
}

/** PUBREL: the QoS 2 id may carry a new message; answered with PUBCOMP. */
export function onPubrel(packet: AckPacket, qos2: Set<number>, answer: Answer): undefined {
  qos2.delete(packet.id)
  answer(encodeShortAck(0x70, packet.id))
  return undefined
}

/** PUBACK: settles our QoS 1 publish and lets the next waiting one go; one never sent is a broken promise. */
export function onPuback(packet: AckPacket, inflight: Map<number, InFlight>, waiting: Waiting[]): LiveTopicError | undefined {
  const item = inflight.get(packet.id)
  if (!item) return protocolError(`PUBACK for packet id ${packet.id}, which was never sent`)
  inflight.delete(packet.id)
  if (packet.reasonCode >= 0x80) item.reject(publishFailure(pubackError(item.topic, packet.reasonCode), false))
  else item.resolve()
  waiting.shift()?.go()
  return undefined
}

/** SUBACK or UNSUBACK: settles the request with its codes. */
export function onSubscribeAck(packet: Extract<IncomingPacket, { type: 'suback' | 'unsuback' }>, requests: Map<number, Request>): LiveTopicError | undefined {
  const request = requests.get(packet.id)
  if (!request) return protocolError(`${packet.type.toUpperCase()} for packet id ${packet.id}, which was never sent`)
  requests.delete(packet.id)
  request.resolve(packet.codes)
  return undefined
}
