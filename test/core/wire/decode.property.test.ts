// Every valid packet mqtt-packet generates (3.1.1 and 5) is read identically by our decoder,
// whatever the WebSocket message boundaries: several packets per message, one packet over several.
import fc from 'fast-check'
import type { Packet } from 'mqtt-packet'
import { describe, expect, it } from 'vitest'
import type { IncomingPacket } from '../../../packages/core/src/wire/packets.js'
import { concat, readChunks, referenceGenerate, splitAt } from './helpers.js'
import { bytes, fromOurs, normalProps, props, PROPS, topicName } from './mqtt-packet-shapes.js'

const id = fc.integer({ min: 1, max: 0xffff })
const CONNACK_5 = [0, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9f]
const SUBACK = { 4: [0, 1, 2, 0x80], 5: [0, 1, 2, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2] }
const UNSUBACK_5 = [0, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91]
const PUBACK_5 = [0, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99]
const DISCONNECT_5 = [
  0, 4, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2,
]

/** A packet a broker may send, in mqtt-packet's shape. */
function serverPacket(lv: 4 | 5): fc.Arbitrary<Packet> {
  const v5 = lv === 5
  const p = (names: string[]): fc.Arbitrary<Record<string, unknown> | undefined> => (v5 ? props(names) : fc.constant(undefined))
  const arbitraries: fc.Arbitrary<Record<string, unknown>>[] = [
    fc
      .record({
        cmd: fc.constant('connack'),
        sessionPresent: fc.boolean(),
        code: fc.constantFrom(...(v5 ? CONNACK_5 : [0, 1, 2, 3, 4, 5])),
        properties: p(PROPS.connack),
      })
      .map(({ code, ...rest }) => ({ ...rest, [v5 ? 'reasonCode' : 'returnCode']: code })),
    fc.record({
      cmd: fc.constant('publish'),
      topic: topicName,
      payload: bytes(300),
      qos: fc.constantFrom(0, 1, 2),
      retain: fc.boolean(),
      dup: fc.boolean(),
      messageId: id,
      properties: p(PROPS.publish),
    }),
    fc.record({ cmd: fc.constantFrom('puback', 'pubrec'), messageId: id, reasonCode: fc.constantFrom(...(v5 ? PUBACK_5 : [0])), properties: p(PROPS.ack) }),
    fc.record({ cmd: fc.constantFrom('pubrel', 'pubcomp'), messageId: id, reasonCode: fc.constantFrom(...(v5 ? [0, 0x92] : [0])), properties: p(PROPS.ack) }),
    fc.record({
      cmd: fc.constant('suback'),
      messageId: id,
      granted: fc.array(fc.constantFrom(...SUBACK[lv]), { minLength: 1, maxLength: 8 }),
      properties: p(PROPS.ack),
    }),
    v5
      ? fc.record({
          cmd: fc.constant('unsuback'),
          messageId: id,
          granted: fc.array(fc.constantFrom(...UNSUBACK_5), { minLength: 1, maxLength: 8 }),
          properties: p(PROPS.ack),
        })
      : fc.record({ cmd: fc.constant('unsuback'), messageId: id }),
    fc.constant({ cmd: 'pingresp' }),
  ]
  if (v5) arbitraries.push(fc.record({ cmd: fc.constant('disconnect'), reasonCode: fc.constantFrom(...DISCONNECT_5), properties: p(PROPS.disconnect) }))
  return fc.oneof(...arbitraries).map((packet) => {
    const clean = Object.fromEntries(Object.entries(packet).filter(([, v]) => v !== undefined))
    return clean as unknown as Packet
  })
}

/** What our decoder should make of an mqtt-packet packet, in one comparable form. */
function expected(mp: Record<string, unknown>): unknown {
  const properties = normalProps(mp.properties as never)
  switch (mp.cmd) {
    case 'connack':
      return { type: 'connack', sessionPresent: mp.sessionPresent, reasonCode: mp.reasonCode ?? mp.returnCode, properties }
    case 'publish':
      return {
        type: 'publish',
        topic: mp.topic,
        payload: Array.from(mp.payload as Uint8Array),
        qos: mp.qos,
        retain: mp.retain,
        dup: mp.dup,
        id: mp.qos === 0 ? undefined : mp.messageId,
        properties,
      }
    case 'suback':
    case 'unsuback':
      return { type: mp.cmd, id: mp.messageId, codes: (mp.granted as number[] | undefined) ?? [], properties }
    case 'pingresp':
      return { type: 'pingresp' }
    case 'disconnect':
      return { type: 'disconnect', reasonCode: mp.reasonCode ?? 0, properties }
    default:
      return { type: mp.cmd, id: mp.messageId, reasonCode: mp.reasonCode ?? 0, properties }
  }
}

function comparable(packet: IncomingPacket): unknown {
  const out: Record<string, unknown> = { ...packet, properties: normalProps(fromOurs('properties' in packet ? packet.properties : undefined)) }
  if (packet.type === 'publish') out.payload = Array.from(packet.payload)
  if (packet.type === 'pingresp') delete out.properties
  return out
}

describe('mqtt-packet generates, our decoder reads', () => {
  for (const lv of [4, 5] as const) {
    it(`MQTT ${lv === 5 ? '5' : '3.1.1'}: any packets, concatenated and split anywhere`, () => {
      fc.assert(
        fc.property(fc.array(serverPacket(lv), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (packets, cuts) => {
          const stream = concat(packets.map((p) => referenceGenerate(p, lv)))
          const { packets: read, error } = readChunks(splitAt(stream, cuts), lv)
          expect(error).toBeUndefined()
          expect(read.map(comparable)).toEqual(packets.map((p) => expected(p as unknown as Record<string, unknown>)))
        }),
        { numRuns: 400 },
      )
    })
  }

  it('one byte per message still reads every packet', () => {
    fc.assert(
      fc.property(fc.array(serverPacket(5), { minLength: 1, maxLength: 3 }), (packets) => {
        const stream = concat(packets.map((p) => referenceGenerate(p, 5)))
        const { packets: read, error } = readChunks(
          Array.from(stream, (b) => Uint8Array.of(b)),
          5,
        )
        expect(error).toBeUndefined()
        expect(read).toHaveLength(packets.length)
      }),
      { numRuns: 100 },
    )
  })
})
