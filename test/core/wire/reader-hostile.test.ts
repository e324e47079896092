// A broker that splits packets into tiny WebSocket messages, or announces huge ones: the reader
// copies each byte once and never holds more than the maximum besides the message being read.
import { describe, expect, it } from 'vitest'
import { isLiveTopicError } from '../../../packages/core/src/errors.js'
import type { IncomingPacket } from '../../../packages/core/src/wire/packets.js'
import { packetReader } from '../../../packages/core/src/wire/reader.js'
import { publish } from '../../helpers/raw-mqtt-server.js'

const MiB = 1024 * 1024

describe('the packet reader against hostile splitting', () => {
  it('a 1 MiB PUBLISH in 1-byte messages: one packet, the payload intact, never more held than the packet itself', () => {
    const payload = Array.from({ length: MiB }, (_, i) => i % 251)
    const bytes = Uint8Array.from(publish('big/one', payload))
    const reader = packetReader(4, 2 * MiB)
    const packets: IncomingPacket[] = []
    let most = 0
    let error
    for (let i = 0; i < bytes.length && !error; i++) {
      error = reader.push(bytes.subarray(i, i + 1), (p) => packets.push(p))
      most = Math.max(most, reader.held)
    }
    expect(error).toBeUndefined()
    expect(packets).toHaveLength(1)
    const [packet] = packets
    expect(packet?.type === 'publish' && packet.topic).toBe('big/one')
    expect(packet?.type === 'publish' && Buffer.from(packet.payload).equals(Buffer.from(payload))).toBe(true)
    expect(most).toBeLessThanOrEqual(bytes.length)
    expect(reader.held).toBe(0)
  })

  it('a fixed header announcing more than the maximum, itself split: refused before any body byte', () => {
    const reader = packetReader(4, MiB)
    // PUBLISH with a remaining length of 2 MiB, header sent one byte at a time
    const header = [0x30, 0x80, 0x80, 0x80, 0x01]
    const results = header.map((byte) => reader.push(Uint8Array.of(byte), () => {}))
    expect(results.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined])
    expect(isLiveTopicError(results[4], 'PROTOCOL_ERROR')).toBe(true)
    expect(results[4]?.message).toMatch(/over the maximum/)
    expect(reader.held).toBeLessThanOrEqual(header.length)
  })

  it('while gathering a big packet from large messages, holds at most the maximum (the message being read aside)', () => {
    const max = 64 * 1024
    const reader = packetReader(4, max)
    const bytes = Uint8Array.from(publish('t', new Array<number>(max - 20).fill(7)))
    const message = 4096
    let most = 0
    let count = 0
    for (let at = 0; at < bytes.length; at += message) {
      expect(reader.push(bytes.subarray(at, at + message), () => count++)).toBeUndefined()
      most = Math.max(most, reader.held)
    }
    expect(count).toBe(1)
    expect(most).toBeLessThanOrEqual(max)
  })

  it('several packets and a split one in the same messages, in order', () => {
    const a = publish('a', [1])
    const b = publish('b', new Array<number>(300).fill(2))
    const c = publish('c', [3])
    const stream = Uint8Array.from([...a, ...b, ...c])
    const reader = packetReader(4, MiB)
    const topics: string[] = []
    // cut inside b's header, inside its body, and at c's start
    for (const [from, to] of [
      [0, a.length + 1],
      [a.length + 1, a.length + 2],
      [a.length + 2, a.length + 100],
      [a.length + 100, stream.length],
    ])
      reader.push(stream.subarray(from, to), (p) => p.type === 'publish' && topics.push(p.topic))
    expect(topics).toEqual(['a', 'b', 'c'])
  })

  it('an error thrown by the packet handler goes up unchanged, not as bad bytes', () => {
    const reader = packetReader(4, MiB)
    const boom = new Error('handler')
    expect(() =>
      reader.push(Uint8Array.from(publish('a', [1])), () => {
        throw boom
      }),
    ).toThrow(boom)
  })
})
