import { LiveTopicError } from '../errors.js'

/** A malformed packet from the server: the connection ends with this, never an exception further up. */
export const protocolError = (message: string): LiveTopicError => new LiveTopicError('PROTOCOL_ERROR', `malformed packet from the broker: ${message}`)

/** A read position inside one packet's bytes; reads past `end` are a truncated packet. */
export interface Cursor {
  readonly b: Uint8Array
  p: number
  readonly end: number
}

const need = (c: Cursor, n: number): void => {
  if (c.p + n > c.end) throw protocolError('truncated')
}

export function u8(c: Cursor): number {
  need(c, 1)
  return c.b[c.p++]!
}

export function u16(c: Cursor): number {
  need(c, 2)
  const v = (c.b[c.p]! << 8) | c.b[c.p + 1]!
  c.p += 2
  return v
}

export function u32(c: Cursor): number {
  need(c, 4)
  const b = c.b
  const v = b[c.p]! * 0x1000000 + ((b[c.p + 1]! << 16) | (b[c.p + 2]! << 8) | b[c.p + 3]!)
  c.p += 4
  return v
}

/** Variable byte integer (remaining length, property length, subscription id): at most 4 bytes. */
export function varint(c: Cursor): number {
  let value = 0
  for (let i = 0, scale = 1; i < 4; i++, scale *= 128) {
    const byte = u8(c)
    value += (byte & 0x7f) * scale
    if (byte < 0x80) return value
  }
  throw protocolError('variable length integer longer than 4 bytes')
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** UTF-8 string of `length` bytes at the cursor; short ASCII ones (most topics) skip TextDecoder. */
function text(c: Cursor, length: number): string {
  need(c, length)
  const { b } = c
  const start = c.p
  const end = (c.p += length)
  if (length < 64) {
    let s = ''
    for (let i = start; i < end; i++) {
      const ch = b[i]!
      if (ch >= 0x80) return decodeUtf8(b, start, end)
      s += String.fromCharCode(ch)
    }
    return s
  }
  return decodeUtf8(b, start, end)
}

function decodeUtf8(b: Uint8Array, start: number, end: number): string {
  try {
    return utf8.decode(b.subarray(start, end))
  } catch {
    throw protocolError('a string is not valid UTF-8')
  }
}

/** Length-prefixed UTF-8 string. */
export const str = (c: Cursor): string => text(c, u16(c))

/** Length-prefixed binary data (a view, not a copy). */
export function bin(c: Cursor): Uint8Array {
  const length = u16(c)
  need(c, length)
  return c.b.subarray(c.p, (c.p += length))
}

const encoder = new TextEncoder()

/** A growable byte buffer for encoding one packet. */
export class Writer {
  b = new Uint8Array(64)
  p = 0

  private room(n: number): void {
    if (this.p + n <= this.b.length) return
    const next = new Uint8Array(Math.max(this.b.length * 2, this.p + n))
    next.set(this.b.subarray(0, this.p))
    this.b = next
  }

  u8(v: number): void {
    this.room(1)
    this.b[this.p++] = v
  }

  u16(v: number): void {
    this.room(2)
    this.b[this.p++] = v >> 8
    this.b[this.p++] = v & 0xff
  }

  u32(v: number): void {
    this.u16(Math.floor(v / 0x10000))
    this.u16(v & 0xffff)
  }

  varint(v: number): void {
    do {
      let byte = v % 128
      v = Math.floor(v / 128)
      if (v > 0) byte |= 0x80
      this.u8(byte)
    } while (v > 0)
  }

  raw(bytes: Uint8Array): void {
    this.room(bytes.length)
    this.b.set(bytes, this.p)
    this.p += bytes.length
  }

  /** Length-prefixed binary data. */
  bin(bytes: Uint8Array): void {
    this.u16(bytes.length)
    this.raw(bytes)
  }

  /** A UTF-8 string pair (MQTT 5 user property). */
  pair([key, value]: [string, string]): void {
    this.str(key)
    this.str(value)
  }

  /** Length-prefixed UTF-8 string. */
  str(s: string): void {
    this.room(2 + s.length * 3)
    const { written } = encoder.encodeInto(s, this.b.subarray(this.p + 2))
    if (written > 0xffff) throw new LiveTopicError('LIMIT_EXCEEDED', 'an MQTT string is limited to 65535 bytes')
    this.u16(written)
    this.p += written
  }

  bytes(): Uint8Array {
    return this.b.subarray(0, this.p)
  }
}
