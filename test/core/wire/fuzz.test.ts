// Random and mutated bytes never make the reader throw: it yields packets, waits for more, or
// returns a PROTOCOL_ERROR LiveTopicError.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isLiveTopicError } from '../../../packages/core/src/errors.js'
import { packetReader } from '../../../packages/core/src/wire/reader.js'
import type { ProtocolLevel } from '../../../packages/core/src/wire/packets.js'
import { readChunks, referenceGenerate, splitAt } from './helpers.js'

function feed(chunks: Uint8Array[], level: ProtocolLevel, maxSize = 4096): void {
  const reader = packetReader(level, maxSize)
  for (const chunk of chunks) {
    const error = reader.push(chunk, () => {})
    if (error !== undefined) {
      expect(isLiveTopicError(error, 'PROTOCOL_ERROR')).toBe(true)
      return
    }
  }
}

const SEEDS: Parameters<typeof referenceGenerate>[0][] = [
  { cmd: 'connack', sessionPresent: true, reasonCode: 0, properties: { serverKeepAlive: 30, assignedClientIdentifier: 'abc', userProperties: { a: 'b' } } },
  {
    cmd: 'publish',
    topic: 'rooms/lobby/messages',
    payload: Buffer.from('{"text":"hi"}'),
    qos: 1,
    messageId: 7,
    retain: false,
    dup: false,
    properties: { contentType: 'json', subscriptionIdentifier: 3 },
  },
  { cmd: 'suback', messageId: 2, granted: [0, 1, 0x80], properties: { reasonString: 'ok' } },
  { cmd: 'disconnect', reasonCode: 0x8e, properties: { reasonString: 'taken over' } },
  { cmd: 'puback', messageId: 9, reasonCode: 0x87 },
]

describe('fuzzing the packet reader', () => {
  it('random bytes, in random pieces, at every protocol level', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom<ProtocolLevel>(3, 4, 5), (bytes, cuts, level) => {
        feed(splitAt(bytes, cuts), level)
      }),
      { numRuns: 3000 },
    )
  })

  it('valid packets with bytes flipped, dropped or inserted', () => {
    const mutation = fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }), kind: fc.constantFrom('flip', 'drop', 'insert') })
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        (seed, mutations, cuts) => {
          const bytes = [...referenceGenerate(seed, 5)]
          for (const m of mutations) {
            const at = m.at % (bytes.length + 1)
            if (m.kind === 'flip' && at < bytes.length) bytes[at] = m.value
            else if (m.kind === 'drop') bytes.splice(at, 1)
            else bytes.splice(at, 0, m.value)
          }
          feed(splitAt(Uint8Array.from(bytes), cuts), 5)
        },
      ),
      { numRuns: 3000 },
    )
  })
})

describe('each kind of bad input is a PROTOCOL_ERROR', () => {
  const cases: [string, number[], number?][] = [
    ['a remaining length of five bytes', [0x30, 0xff, 0xff, 0xff, 0xff, 0x01]],
    ['a packet shorter than its fields (topic length past the end)', [0x30, 0x03, 0x00, 0x09, 0x61]],
    ['an unknown packet type (0)', [0x00, 0x00]],
    ['a packet type only clients send (SUBSCRIBE)', [0x82, 0x02, 0x00, 0x01]],
    ['a packet over the maximum size', [0x30, 0x80, 0x08, ...new Array<number>(1024).fill(0x61)], 1000],
    ['a topic that is not valid UTF-8', [0x30, 0x05, 0x00, 0x02, 0xc3, 0x28, 0x7b]],
    ['a PUBLISH with QoS 3', [0x36, 0x03, 0x00, 0x01, 0x61]],
  ]
  for (const [what, bytes, max] of cases) {
    it(what, () => {
      const { error } = readChunks([Uint8Array.from(bytes)], 4, max)
      expect(isLiveTopicError(error, 'PROTOCOL_ERROR')).toBe(true)
    })
  }

  it('refuses an oversized packet from its header, before its body arrives', () => {
    const { error } = readChunks([Uint8Array.of(0x30, 0xff, 0xff, 0x7f)], 4, 1 << 20)
    expect(isLiveTopicError(error, 'PROTOCOL_ERROR')).toBe(true)
  })
})
