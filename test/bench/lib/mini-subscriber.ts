// A bare MQTT 3.1.1 subscriber over `ws`: CONNECT, one SUBSCRIBE at QoS 0, then PUBLISH payloads.
// The fan-out benchmark runs hundreds of these in one process; a full client's per-message cost
// would make the receiving process, not the broker, the thing measured.
import WebSocket from 'ws'

/** A connected bare subscriber. */
export interface MiniSubscriber {
  close(): void
}

const utf8 = (s: string): Buffer => {
  const bytes = Buffer.from(s)
  return Buffer.concat([Buffer.from([bytes.length >> 8, bytes.length & 0xff]), bytes])
}

function packet(type: number, body: Buffer): Buffer {
  const length: number[] = []
  let n = body.length
  do {
    let byte = n % 128
    n = Math.floor(n / 128)
    if (n > 0) byte |= 0x80
    length.push(byte)
  } while (n > 0)
  return Buffer.concat([Buffer.from([type, ...length]), body])
}

/** Connects to `url`, subscribes to `topic`, calls `onPayload` for every PUBLISH. */
export function miniSubscribe(url: string, clientId: string, topic: string, onPayload: (payload: Buffer) => void): Promise<MiniSubscriber> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'mqtt', { perMessageDeflate: false })
    let pending: Buffer = Buffer.alloc(0)
    socket.binaryType = 'nodebuffer'
    socket.once('error', reject)
    socket.once('open', () => {
      // CONNECT: protocol "MQTT" level 4, clean session, keep-alive 60 s
      socket.send(packet(0x10, Buffer.concat([utf8('MQTT'), Buffer.from([4, 0x02, 0, 60]), utf8(clientId)])))
    })
    socket.on('message', (data: Buffer) => {
      const buffer = pending.length > 0 ? Buffer.concat([pending, data]) : data
      let offset = 0
      for (;;) {
        // fixed header: type byte, then the remaining length as a varint
        let length = 0
        let multiplier = 1
        let i = offset + 1
        let complete = false
        while (i < buffer.length) {
          const byte = buffer[i++]!
          length += (byte & 0x7f) * multiplier
          multiplier *= 128
          if ((byte & 0x80) === 0) {
            complete = true
            break
          }
        }
        if (!complete || i + length > buffer.length) break
        const type = buffer[offset]! >> 4
        if (type === 3) {
          const topicLength = buffer.readUInt16BE(i)
          onPayload(buffer.subarray(i + 2 + topicLength, i + length))
        } else if (type === 2) {
          socket.send(packet(0x82, Buffer.concat([Buffer.from([0, 1]), utf8(topic), Buffer.from([0])])))
        } else if (type === 9) {
          resolve({ close: () => socket.terminate() })
        }
        offset = i + length
      }
      pending = offset < buffer.length ? Buffer.from(buffer.subarray(offset)) : Buffer.alloc(0)
    })
  })
}
