// Hand-built MQTT 3.1.1 packets, for feeding a broker valid, truncated and corrupted bytes.

function str(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8')
  return Buffer.concat([Buffer.from([bytes.length >> 8, bytes.length & 0xff]), bytes])
}

/** MQTT's variable-length "remaining length" encoding (also used by test/helpers/raw-mqtt-server.ts). */
export function varint(n: number): number[] {
  const out: number[] = []
  do {
    let byte = n % 128
    n = Math.floor(n / 128)
    if (n > 0) byte |= 0x80
    out.push(byte)
  } while (n > 0)
  return out
}

function remainingLength(length: number): Buffer {
  return Buffer.from(varint(length))
}

function packet(header: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([header]), remainingLength(body.length), body])
}

/** CONNECT, clean session, keep-alive 60 s. */
export const connectPacket = (clientId: string): Buffer => packet(0x10, Buffer.concat([str('MQTT'), Buffer.from([0x04, 0x02, 0x00, 0x3c]), str(clientId)]))

/** SUBSCRIBE with one filter at QoS 0. */
export const subscribePacket = (filter: string, messageId = 1): Buffer =>
  packet(0x82, Buffer.concat([Buffer.from([messageId >> 8, messageId & 0xff]), str(filter), Buffer.from([0])]))

/** PUBLISH at QoS 0. */
export const publishPacket = (topic: string, payload: Buffer): Buffer => packet(0x30, Buffer.concat([str(topic), payload]))
