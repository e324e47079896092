// A raw WebSocket client that sends the broker bytes no MQTT client would: random frames, a
// CONNECT followed by junk, a remaining length that never ends. It reconnects whenever the broker
// closes it, until `running()` turns false.
import { randomBytes } from 'node:crypto'
import WebSocket from 'ws'
import { sleep } from './stats.js'

export interface GarbageStats {
  connections: number
  frames: number
  /** Connections the broker closed (the right answer to garbage). */
  closed: number
}

// CONNECT, MQTT 3.1.1, clean session, keep-alive 60 s, client id "garbage"
const CONNECT = Buffer.from([0x10, 19, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 60, 0, 7, 0x67, 0x61, 0x72, 0x62, 0x61, 0x67, 0x65])

const kinds: (() => Buffer)[] = [
  () => randomBytes(1 + Math.floor(Math.random() * 512)),
  () => Buffer.concat([CONNECT, randomBytes(64)]),
  // a remaining length with the continuation bit set five times (MQTT allows four)
  () => Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f]),
  // PUBLISH with a topic length longer than the packet
  () => Buffer.from([0x30, 4, 0xff, 0xff, 0x61, 0x62]),
  // a reserved packet type (0 and 15)
  () => Buffer.from([Math.random() < 0.5 ? 0x00 : 0xf0, 0]),
]

export async function sendGarbage(url: () => string, running: () => boolean): Promise<GarbageStats> {
  const stats: GarbageStats = { connections: 0, frames: 0, closed: 0 }
  while (running()) {
    await new Promise<void>((resolve) => {
      const socket = new WebSocket(url(), 'mqtt', { perMessageDeflate: false })
      stats.connections++
      let timer: NodeJS.Timeout | undefined
      const stop = (): void => {
        clearInterval(timer)
        resolve()
      }
      socket.on('error', stop)
      socket.on('close', () => {
        if (running()) stats.closed++
        stop()
      })
      socket.on('open', () => {
        const kind = kinds[Math.floor(Math.random() * kinds.length)]!
        timer = setInterval(() => {
          if (!running()) {
            socket.terminate()
            return
          }
          if (socket.readyState !== WebSocket.OPEN) return
          socket.send(kind())
          stats.frames++
        }, 20)
      })
    })
    await sleep(50)
  }
  return stats
}
