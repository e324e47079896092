// PUBACK and friends written directly: a success acknowledgement without properties is 4 bytes
// at every protocol level (MQTT 5 lets the reason code go when it is 0 and nothing follows), so
// it needs no Writer. Several in one buffer let a burst's acknowledgements leave in one frame.

/** First byte of each acknowledgement (PUBREL has its reserved flags 0b0010). */
const FIRST_BYTE = { puback: 0x40, pubrec: 0x50, pubrel: 0x62, pubcomp: 0x70 } as const

/** Which acknowledgement. */
export type AckType = keyof typeof FIRST_BYTE

/** Writes one 4-byte success acknowledgement for packet `id` at `offset` of `target`. */
export function writeAck(target: Uint8Array, offset: number, type: AckType, id: number): void {
  target[offset] = FIRST_BYTE[type]
  target[offset + 1] = 2
  target[offset + 2] = id >> 8
  target[offset + 3] = id & 0xff
}

/** One success acknowledgement (reason code 0, no properties) for packet `id`: 4 bytes. */
export function encodeShortAck(type: AckType, id: number): Uint8Array {
  const bytes = new Uint8Array(4)
  writeAck(bytes, 0, type, id)
  return bytes
}

/** Success acknowledgements of one type for every id, back to back: one buffer, one frame. */
export function encodeShortAcks(type: AckType, ids: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(ids.length * 4)
  for (let i = 0; i < ids.length; i++) writeAck(bytes, i * 4, type, ids[i]!)
  return bytes
}
