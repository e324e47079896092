// The built-in transport connected to the scripted hostile server, for the suites that drive it
// packet by packet (kept apart from the server: the benchmarks import that without vitest).
import { wsTransport, type LiveTopicError, type Transport } from '@livetopic/core'
import { WebSocket } from 'ws'
import type { HostileConnection, HostileServer } from './hostile-ws-server.js'
import { connack } from './raw-mqtt-server.js'
import { eventually } from './wait.js'

/** What {@link connectTransport} gives a test. */
export interface ConnectedTransport {
  conn: HostileConnection
  transport: Transport
  /** Every onClose the transport reported, in order. */
  closes: (LiveTopicError | undefined)[]
}

/**
 * The built-in transport (MQTT 3.1.1, no keep-alive, `ws` as its WebSocket) connected to `server`: the
 * server has read its CONNECT and answered CONNACK. The caller closes the transport and the server.
 */
export async function connectTransport(
  server: HostileServer,
  options: { clientId?: string; maxPacketSize?: number; onMessage?: (topic: string, payload: Uint8Array) => void } = {},
): Promise<ConnectedTransport> {
  const { clientId = 'c', maxPacketSize, onMessage } = options
  const closes: (LiveTopicError | undefined)[] = []
  let connected = false
  const transport = wsTransport({ WebSocket, ...(maxPacketSize ? { maxPacketSize } : {}) })(
    { clientId, protocolVersion: 4, keepalive: 0, clean: true, wsSubprotocol: 'mqtt', connectTimeout: 5000 },
    { onConnect: () => (connected = true), onMessage: (topic, payload) => onMessage?.(topic, payload), onClose: (error) => closes.push(error) },
  )
  transport.open(server.url, {})
  const conn = await server.accept()
  await conn.next() // CONNECT
  conn.send(connack())
  await eventually(() => connected, 5000, 'CONNACK')
  return { conn, transport, closes }
}
