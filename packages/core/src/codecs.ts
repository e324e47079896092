/** Turns payloads into bytes and back. `decode` may throw; livetopic turns that into DECODE_FAILED. */
export interface Codec<T = unknown> {
  /** Names the format in DECODE_FAILED messages (`json`, `text`, `binary`). */
  readonly name: string
  /** Payload to bytes (or a string sent as UTF-8); a throw becomes ENCODE_FAILED. */
  encode(value: T): Uint8Array | string
  /** Bytes to payload; a throw becomes DECODE_FAILED. */
  decode(bytes: Uint8Array): T
}

const encoder = /* @__PURE__ */ new TextEncoder()
const lenient = /* @__PURE__ */ new TextDecoder('utf-8')
const strict = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true })

// Invalid UTF-8 must fail loudly, not turn into U+FFFD. The lenient decoder is the fast path; only
// text that contains U+FFFD (rare, and maybe genuine) is decoded again strictly, which throws.
function utf8(bytes: Uint8Array): string {
  const text = lenient.decode(bytes)
  return text.includes('\uFFFD') ? strict.decode(bytes) : text
}

/** JSON over UTF-8 (the default). */
export const jsonCodec: Codec<unknown> = {
  name: 'json',
  encode: (value) => {
    const text = JSON.stringify(value)
    if (text === undefined) throw new TypeError(`cannot encode ${typeof value} as JSON`)
    return text
  },
  decode: (bytes) => JSON.parse(utf8(bytes)) as unknown,
}

/** UTF-8 text. */
export const textCodec: Codec<string> = {
  name: 'text',
  encode: (value) => String(value),
  decode: (bytes) => utf8(bytes),
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
