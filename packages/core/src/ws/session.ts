// One client session of the built-in transport: a WebSocket per connect attempt, the CONNECT/CONNACK
// handshake, the packets once connected, and the end of each socket.
import { toBytes } from '../codecs.js'
import { LiveTopicError } from '../errors.js'
import { publishFailure, type Transport, type TransportHandlers, type TransportOptions } from '../transport.js'
import { protocolError } from '../wire/bytes.js'
import { encodeConnect, encodeDisconnect, encodePublish, encodeSubscribe, encodeUnsubscribe, PINGREQ } from '../wire/encode.js'
import type { IncomingPacket, ProtocolLevel } from '../wire/packets.js'
import { packetIds } from '../wire/packet-ids.js'
import { connackError, disconnectError, upgradeError } from '../wire/reasons.js'
import { packetReader } from '../wire/reader.js'
import { keepAlive } from './keep-alive.js'
import { onPuback, onPublish, onPubrel, onSubscribeAck, type InFlight, type Request, type Waiting } from './packet-handlers.js'
import { joinFrames } from './receive-window.js'

/** What we use of a WebSocket: the platform's, or `ws`'s in Node 20. */
interface Socket {
  binaryType: string
  onopen: (() => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onerror: ((event: { message?: string; error?: unknown }) => void) | null
  onclose: (() => void) | null
  send(data: Uint8Array): void
  close(code?: number): void
}

/** A WebSocket constructor: the platform's `WebSocket`, or `WebSocket` from the `ws` package. */
export type WebSocketConstructor = new (url: string, protocols: string[], options?: { headers?: Record<string, string>; maxPayload?: number }) => object

const lost = (what: string): LiveTopicError => new LiveTopicError('CONNECTION_LOST', `${what}: the connection to the broker closed`)
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, i) => byte === b[i])
export const noop = (): void => {}

/** The session behind one `wsTransport` factory call; `maxIncoming` bounds what the broker may send. */
export function createSession(WebSocketImpl: WebSocketConstructor, maxIncoming: number, options: TransportOptions, handlers: TransportHandlers): Transport {
  const level: ProtocolLevel = options.wsSubprotocol === 'mqttv3.1' ? 3 : options.protocolVersion
  const v5 = level === 5
  const reader = packetReader(level, maxIncoming)
  const inflight = new Map<number, InFlight>()
  // QoS 1 publishes unacknowledged when the last socket closed: a resumed session resends them with DUP
  const unacked = new Map<number, { topic: string; bytes: Uint8Array; retain: boolean }>()
  const pending = new Map<number, Request>()
  const nextId = packetIds((id) => inflight.has(id) || pending.has(id) || unacked.has(id))
  const waiting: Waiting[] = [] // QoS 1 held back by the broker's receive maximum
  const received2 = new Set<number>() // QoS 2 ids delivered, waiting for PUBREL
  let socket: Socket | undefined
  let connected = false
  let error: LiveTopicError | undefined
  let maxOutgoing = Infinity
  let receiveMaximum = 65535
  let lastSent = 0
  let lastReceived = 0
  let connectTimer: ReturnType<typeof setTimeout> | undefined
  let pingTimer: ReturnType<typeof setInterval> | undefined
  let closing: (() => void) | undefined

  // while one WebSocket message is read, what we answer (PUBACKs…) is gathered into one frame
  let batch: Uint8Array[] | undefined
  const send = (bytes: Uint8Array): void => {
    if (batch) return void batch.push(bytes)
    lastSent = Date.now()
    // `?.`: a listener that closed the socket while its message is read gets no answer sent after it
    socket?.send(bytes)
  }
  // ...and the answers of a burst (several WebSocket messages in a row; a browser hands each to its own
  // task) go out together once it is read: one frame, one send, where a send per message cost the
  // page most of its time at QoS 1
  let answers: Uint8Array[] = []
  let answerTimer: ReturnType<typeof setTimeout> | undefined
  const sendAnswers = (): void => {
    clearTimeout(answerTimer)
    answerTimer = undefined
    const frame = joinFrames(answers)
    answers = []
    if (frame && socket) send(frame)
  }
  const flush = (gathered: Uint8Array[]): void => {
    if (!gathered.length) return
    answers.push(...gathered)
    answerTimer ??= setTimeout(sendAnswers, 0)
  }
  /** Sends every answer now, those of a message being read included (before a DISCONNECT). */
  const drain = (): void => {
    const gathered = batch
    batch = undefined
    if (gathered) flush(gathered)
    sendAnswers()
  }

  /** Ends the current socket once: fails what waits on it and tells the connection why. */
  const finish = (why: LiveTopicError | undefined): void => {
    const current = socket
    if (!current) return
    socket = undefined
    clearTimeout(connectTimer)
    clearInterval(pingTimer)
    clearTimeout(answerTimer)
    answerTimer = undefined
    answers = []
    current.onopen = current.onmessage = current.onclose = null
    current.onerror = noop // `ws` throws an error event nobody listens to
    try {
      current.close()
    } catch {
      // already closed
    }
    const wasConnected = connected
    connected = false
    reader.reset()
    received2.clear()
    for (const item of waiting.splice(0)) item.reject(publishFailure(lost('publish'), true))
    for (const [id, item] of inflight) {
      unacked.set(id, item)
      item.reject(publishFailure(lost(`publish to "${item.topic}"`), true))
    }
    inflight.clear()
    for (const request of pending.values()) request.reject(lost('subscribe'))
    pending.clear()
    const reason =
      error ??
      why ??
      (wasConnected
        ? new LiveTopicError('CONNECTION_LOST', 'the connection to the broker closed')
        : new LiveTopicError('CONNECTION_FAILED', 'could not connect to the broker'))
    error = undefined
    handlers.onClose(reason)
    closing?.()
    closing = undefined
  }

  /** Bad bytes or a broken promise from the broker: tell it (MQTT 5), then drop the socket. */
  const fail = (why: LiveTopicError): void => {
    drain()
    if (connected && v5) {
      try {
        send(encodeDisconnect(5, 0x82))
      } catch {
        // the socket may already be gone
      }
    }
    finish(why)
  }

  const onConnack = (packet: Extract<IncomingPacket, { type: 'connack' }>): LiveTopicError | undefined => {
    if (packet.reasonCode !== 0) return connackError(packet.reasonCode)
    clearTimeout(connectTimer)
    const props = packet.properties
    maxOutgoing = props?.maximumPacketSize ?? Infinity
    receiveMaximum = props?.receiveMaximum ?? 65535
    if (!packet.sessionPresent) unacked.clear()
    connected = true
    pingTimer = keepAlive(
      props?.serverKeepAlive ?? options.keepalive,
      () => lastSent,
      () => lastReceived,
      () => send(PINGREQ),
      finish,
    )
    handlers.onConnect(packet.sessionPresent)
  }

  /** The packet's handler; what it returns ends the connection. */
  const handle = (packet: IncomingPacket): LiveTopicError | undefined => {
    if (!connected) return packet.type === 'connack' ? onConnack(packet) : protocolError(`${packet.type} before CONNACK`)
    switch (packet.type) {
      case 'publish':
        return onPublish(packet, received2, handlers, send)
      case 'pubrel':
        return onPubrel(packet, received2, send)
      case 'puback':
        return onPuback(packet, inflight, waiting)
      case 'suback':
      case 'unsuback':
        return onSubscribeAck(packet, pending)
      case 'pingresp':
        return undefined
      case 'disconnect':
        error = disconnectError(packet.reasonCode)
        return void finish(undefined)
      default:
        // CONNACK twice, PUBREC/PUBCOMP for a QoS 2 we never send
        return protocolError(`unexpected ${packet.type.toUpperCase()}`)
    }
  }

  const onPacket = (packet: IncomingPacket): void => {
    const why = handle(packet)
    if (why) fail(why)
  }

  const request = (id: number, bytes: Uint8Array): Promise<number[]> =>
    new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject })
      send(bytes)
    })

  const notConnected = (topic?: string): Promise<never> =>
    Promise.reject(publishFailure(new LiveTopicError('CONNECTION_LOST', 'not connected', { topic }), true))

  return {
    open(url, credentials) {
      finish(undefined)
      error = undefined
      let ws: Socket
      try {
        // `ws` (Node) stops a message over maxPayload before buffering it; browsers ignore the argument.
        // A message may carry several packets, hence twice the largest packet.
        ws = new WebSocketImpl(url, [options.wsSubprotocol], {
          ...(options.wsHeaders && { headers: options.wsHeaders }),
          maxPayload: 2 * maxIncoming,
        }) as Socket
      } catch (cause) {
        // a malformed URL: report it as a failed attempt, asynchronously like any other
        // a stand-in: finish() only clears its handlers and calls close() inside a try
        socket = {} as Socket
        const why = new LiveTopicError('CONNECTION_FAILED', 'could not open the WebSocket', { cause })
        setTimeout(() => finish(why), 0)
        return
      }
      socket = ws
      // `ws` starts with 'nodebuffer' and hands over its Buffer as it is (no copy per message): keep it;
      // a browser's (or undici's) starts with 'blob'. Never set 'nodebuffer' there: Chromium warns.
      if (ws.binaryType !== 'nodebuffer') ws.binaryType = 'arraybuffer'
      connectTimer = setTimeout(() => finish(new LiveTopicError('CONNECTION_FAILED', `no CONNACK within ${options.connectTimeout} ms`)), options.connectTimeout)
      ws.onopen = () => {
        lastReceived = Date.now()
        const { will } = options
        // encodeConnect leaves out what is undefined, and properties below MQTT 5
        send(
          encodeConnect({
            level,
            clientId: options.clientId,
            clean: options.clean,
            keepalive: options.keepalive,
            username: credentials.username,
            password: credentials.password === undefined ? undefined : toBytes(credentials.password),
            will: will && { ...will, payload: toBytes(will.payload) },
            // MQTT 5 ends a session at disconnect unless told otherwise; default to AWS IoT's 1 h
            properties: { maximumPacketSize: maxIncoming, ...(!options.clean && { sessionExpiryInterval: options.sessionExpiryInterval ?? 3600 }) },
          }),
        )
      }
      ws.onmessage = (event) => {
        if (socket !== ws) return
        lastReceived = Date.now()
        if (typeof event.data === 'string') return fail(protocolError('a text WebSocket message'))
        const data = event.data as ArrayBuffer | Uint8Array
        // a plain view of a Buffer: what listeners keep is a Uint8Array, as in a browser
        const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        const gathered: Uint8Array[] = (batch = [])
        let failure
        try {
          failure = reader.push(bytes, onPacket)
        } finally {
          batch = undefined
        }
        if (socket !== ws) return
        flush(gathered)
        if (failure) fail(failure)
      }
      ws.onerror = (event) => {
        const message = event.message ?? (event.error instanceof Error ? event.error.message : '')
        if (/^Max payload/.test(message)) error ??= protocolError('a WebSocket message over twice the maximum packet size')
        error ??= upgradeError(message) ?? (message ? new LiveTopicError(connected ? 'CONNECTION_LOST' : 'CONNECTION_FAILED', message) : undefined)
      }
      ws.onclose = () => {
        if (socket === ws) finish(undefined)
      }
    },
    subscribe(subscriptions) {
      if (!connected) return notConnected()
      const id = nextId()
      // QoS 2 is never requested: the broker then never sends it on our subscriptions
      const list = subscriptions.map((s) => ({ topic: s.filter, qos: Math.min(s.qos, 1) as 0 | 1 }))
      return request(id, encodeSubscribe({ id, subscriptions: list }, level))
    },
    async unsubscribe(filters) {
      if (!connected) return
      const id = nextId()
      await request(id, encodeUnsubscribe({ id, topics: [...filters] }, level)).catch(noop)
    },
    publish(topic, payload, { qos, retain }) {
      if (qos === 2)
        // final (retryable: false); 0x9b is MQTT 5's "QoS not supported", for tabs that forward only the code
        return Promise.reject(
          publishFailure(
            new LiveTopicError('LIMIT_EXCEEDED', 'the built-in transport publishes at QoS 0 or 1; for QoS 2 use mqttTransport from @livetopic/core/mqtt', {
              topic,
              reasonCode: 0x9b,
            }),
            false,
          ),
        )
      if (!connected) return notConnected(topic)
      const bytes = toBytes(payload)
      if (qos === 0) {
        const packet = encodePublish({ topic, payload: bytes, qos, retain, dup: false }, level)
        if (packet.length > maxOutgoing) return Promise.reject(tooLarge(topic, packet.length, maxOutgoing))
        send(packet)
        return Promise.resolve()
      }
      return new Promise<void>((resolve, reject) => {
        const go = (): void => {
          // the same publish again after a resumed session (same topic, retain and bytes): same packet id, DUP set
          let id: number | undefined
          for (const [previous, item] of unacked) {
            if (item.topic === topic && item.retain === retain && sameBytes(item.bytes, bytes)) {
              id = previous
              unacked.delete(previous)
              break
            }
          }
          const dup = id !== undefined
          id ??= nextId()
          const packet = encodePublish({ topic, payload: bytes, qos, retain, dup, id }, level)
          if (packet.length > maxOutgoing) {
            reject(tooLarge(topic, packet.length, maxOutgoing))
            return waiting.shift()?.go()
          }
          inflight.set(id, { topic, bytes, retain, resolve, reject })
          send(packet)
        }
        if (inflight.size >= receiveMaximum) waiting.push({ go, reject })
        else go()
      })
    },
    close() {
      if (!socket) return Promise.resolve()
      // called from a listener while its message is read: what was gathered goes out first, then the
      // DISCONNECT, so the broker sees a clean close (no will)
      drain()
      if (connected) send(encodeDisconnect(level))
      unacked.clear()
      return new Promise<void>((resolve) => {
        closing = resolve
        finish(undefined)
      })
    },
    abort() {
      finish(new LiveTopicError('CONNECTION_FAILED', 'the connect attempt was abandoned'))
    },
  }
}

// final for the Publisher; 0x95 is MQTT 5's "packet too large"
const tooLarge = (topic: string, size: number, max: number): LiveTopicError =>
  publishFailure(
    new LiveTopicError('PAYLOAD_TOO_LARGE', `the PUBLISH to "${topic}" is ${size} bytes; the broker accepts at most ${max}`, { topic, reasonCode: 0x95 }),
    false,
  )
