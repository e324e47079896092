/** Turns payloads into bytes and back. `decode` may throw; livetopic turns that into DECODE_FAILED. */
export interface Codec<T = unknown> {
  readonly name: string
  encode(value: T): Uint8Array | string
  decode(bytes: Uint8Array): T
}

const encoder = /* @__PURE__ */ new TextEncoder()
// fatal: invalid UTF-8 must fail loudly instead of decoding to replacement characters
const decoder = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true })

/** JSON over UTF-8 (the default). */
export const jsonCodec: Codec<unknown> = {
  name: 'json',
  encode: (value) => {
    const text = JSON.stringify(value)
    if (text === undefined) throw new TypeError(`cannot encode ${typeof value} as JSON`)
    return text
  },
  decode: (bytes) => JSON.parse(decoder.decode(bytes)) as unknown,
}

/** UTF-8 text. */
export const textCodec: Codec<string> = {
  name: 'text',
  encode: (value) => String(value),
  decode: (bytes) => decoder.decode(bytes),
}

/** Raw bytes, untouched. */
export const binaryCodec: Codec<Uint8Array> = {
  name: 'binary',
  encode: (value) => value,
  decode: (bytes) => bytes,
}

/** Encodes to bytes (for size checks before sending). */
export function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? encoder.encode(data) : data
}
