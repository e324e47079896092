import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { IOT_LIMITS } from './iot-limits.js'

/**
 * Bounds on connections whose CONNECT has not been accepted yet (anyone who can open a socket holds
 * one). AWS IoT Core throttles connection attempts per account, per client id and per source
 * (https://docs.aws.amazon.com/general/latest/gr/iot-core.html#message-broker-limits); it documents
 * no figure for connections waiting for their CONNACK, so these are the stand-in's.
 */
export interface PendingConnectionLimits {
  /** Connections not yet accepted, in all. Default 512. */
  maxPending: number
  /** Connections not yet accepted from one address. Default 256 (a test suite on loopback opens many at once). */
  maxPendingPerAddress: number
  /**
   * WebSocket frames (fragments and control frames included) a connection may send before its CONNECT
   * is accepted. ws keeps each fragment of a message as its own buffer until the message ends: 16,383
   * one-byte fragments cost ~2 MB, not 16 KB. Default 256 (MQTT.js sends a CONNECT in a dozen frames).
   */
  maxFramesBeforeConnect: number
}

export const DEFAULT_PENDING_LIMITS: PendingConnectionLimits = {
  maxPending: 512,
  maxPendingPerAddress: 256,
  maxFramesBeforeConnect: 256,
}

/** Counts the connections not yet accepted, in all and per address. */
export class PendingConnections {
  readonly #limits: PendingConnectionLimits
  readonly #byAddress = new Map<string, number>()
  #total = 0

  constructor(limits: PendingConnectionLimits) {
    this.#limits = limits
  }

  /** Admits a connection from `address`: its release function (call it once accepted or closed; twice is harmless), or why not. */
  admit(address: string): { release: () => void } | { refused: string } {
    const fromAddress = this.#byAddress.get(address) ?? 0
    if (this.#total >= this.#limits.maxPending) return { refused: `${this.#limits.maxPending} connections are waiting for their CONNACK` }
    if (fromAddress >= this.#limits.maxPendingPerAddress) {
      return { refused: `${this.#limits.maxPendingPerAddress} connections from this address are waiting for their CONNACK` }
    }
    this.#total++
    this.#byAddress.set(address, fromAddress + 1)
    let released = false
    return {
      release: () => {
        if (released) return
        released = true
        this.#total--
        const left = (this.#byAddress.get(address) ?? 1) - 1
        if (left === 0) this.#byAddress.delete(address)
        else this.#byAddress.set(address, left)
      },
    }
  }

  /** Connections not yet accepted, in all. */
  get size(): number {
    return this.#total
  }
}

/**
 * Watches the raw bytes of a WebSocket connection until its CONNECT is accepted (call the returned
 * function then): at most `maxFrames` frames, none announcing more than IoT's CONNECT allows, and at
 * most {@link IOT_LIMITS.maxBytesBeforeConnect} bytes plus their headers. ws would otherwise buffer a
 * whole message (1 MiB, in as many fragments as sent) before the MQTT parser's own cap sees a byte.
 * Installed before ws takes the socket, it sees every chunk first (the upgrade's `head` too, which ws
 * puts back into the socket) and keeps a chunk that breaks a cap from ws.
 */
export function capWebSocketBeforeConnect(socket: Duplex | Socket, maxFrames: number, exceeded: (reason: string) => void): () => void {
  const maxBytes = IOT_LIMITS.maxBytesBeforeConnect
  const maxRawBytes = maxBytes + maxFrames * 14
  let raw = 0
  let frames = 0
  // bytes of the current frame's payload still to skip, and its header as read so far
  let skip = 0
  const header: number[] = []
  let watching = true
  let failed = false
  const headerLength = (): number => {
    if (header.length < 2) return 2
    const length7 = header[1]! & 0x7f
    return 2 + (length7 === 126 ? 2 : length7 === 127 ? 8 : 0) + (header[1]! & 0x80 ? 4 : 0)
  }
  const payloadLength = (): number => {
    const length7 = header[1]! & 0x7f
    if (length7 < 126) return length7
    if (length7 === 126) return (header[2]! << 8) | header[3]!
    let n = 0
    for (let i = 2; i < 10; i++) n = n * 256 + header[i]!
    return n
  }
  /** Why the chunk breaks a cap, or undefined. */
  const scan = (chunk: Buffer): string | undefined => {
    raw += chunk.length
    if (raw > maxRawBytes) return `more than ${maxBytes} bytes before the CONNECT was accepted`
    for (let i = 0; i < chunk.length;) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - i)
        skip -= n
        i += n
        continue
      }
      header.push(chunk[i++]!)
      if (header.length < headerLength()) continue
      frames++
      skip = payloadLength()
      header.length = 0
      if (frames > maxFrames) return `more than ${maxFrames} WebSocket frames before the CONNECT was accepted`
      if (skip > maxBytes) return `a WebSocket frame of ${skip} bytes before the CONNECT was accepted`
    }
    return undefined
  }
  const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean
  socket.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (failed && event === 'data') return false
    if (!watching || event !== 'data' || !Buffer.isBuffer(args[0])) return emit(event, ...args)
    const reason = scan(args[0])
    if (reason === undefined) return emit(event, ...args)
    failed = true
    watching = false
    exceeded(reason)
    return false
  }) as typeof socket.emit
  return () => {
    watching = false
  }
}
