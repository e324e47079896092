// The direct acknowledgement writer: byte for byte what the general encoder writes, and read back
// by mqtt-packet (the parser of MQTT.js and aedes), one at a time or many in one buffer.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeShortAck, encodeShortAcks, type AckType } from '../../../packages/core/src/wire/ack.js'
import { encodeAck } from '../../../packages/core/src/wire/encode.js'
import type { ProtocolLevel } from '../../../packages/core/src/wire/packets.js'
import { referenceParse } from './helpers.js'

const type = fc.constantFrom<AckType>('puback', 'pubrec', 'pubrel', 'pubcomp')
const level = fc.constantFrom<ProtocolLevel>(3, 4, 5)
const id = fc.integer({ min: 1, max: 0xffff })

describe('direct acknowledgements', () => {
  it('equal the general encoder for a success without properties, at every level', () => {
    fc.assert(
      fc.property(type, level, id, (t, l, i) => {
        expect(encodeShortAck(t, i)).toEqual(encodeAck({ type: t, id: i }, l))
      }),
      { numRuns: 300 },
    )
  })

  it('many in one buffer read back as that many packets, in order, by mqtt-packet', () => {
    fc.assert(
      fc.property(type, level, fc.array(id, { minLength: 1, maxLength: 50 }), (t, l, ids) => {
        const packets = referenceParse(encodeShortAcks(t, ids), l) as { cmd: string; messageId: number }[]
        expect(packets.map((p) => [p.cmd, p.messageId])).toEqual(ids.map((i) => [t, i]))
      }),
      { numRuns: 200 },
    )
  })
})
