// The built-in transport: MQTT 3.1.1 / 5 over the platform WebSocket, on the codec in ./wire.
// The session and its parts (keep-alive, receive and outbound windows, packet handlers) are in ./ws.
import { LiveTopicError } from './errors.js'
import type { Transport, TransportFactory, TransportHandlers } from './transport.js'
import { createSession, noop, type WebSocketConstructor } from './ws/session.js'

export type { WebSocketConstructor } from './ws/session.js'

/** Options of the built-in WebSocket transport. */
export interface WsTransportOptions {
  /** Needed where there is no global WebSocket (Node 20): `import { WebSocket } from 'ws'`. */
  WebSocket?: WebSocketConstructor
  /** Largest packet accepted from the broker, in bytes (default 1 MiB; MQTT 5 tells the broker). */
  maxPacketSize?: number
}

/**
 * The built-in transport (the default of `createClient`). QoS 0 and 1 out, 0, 1 and 2 in; one
 * WebSocket per connect attempt. Unacknowledged QoS 1 publishes fail when the socket closes (the
 * Publisher above requeues them); when the next CONNACK resumes the session, a publish sent again
 * with the same topic and payload reuses its packet id with DUP set.
 */
export function wsTransport(transportOptions: WsTransportOptions = {}): TransportFactory {
  const WebSocketImpl = transportOptions.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
  const maxIncoming = transportOptions.maxPacketSize ?? 1024 * 1024
  return (options, handlers) => (WebSocketImpl ? createSession(WebSocketImpl, maxIncoming, options, handlers) : noWebSocket(handlers))
}

// Fails at the first connect attempt, not in createClient: a client made during SSR on Node 20
// (no global WebSocket) must not throw, and connects nowhere anyway.
function noWebSocket(handlers: TransportHandlers): Transport {
  const error = (): LiveTopicError =>
    new LiveTopicError(
      'INVALID_OPTIONS',
      'this runtime has no global WebSocket (Node 20): pass one, e.g. createClient({ url, WebSocket }) with `import { WebSocket } from "ws"`',
    )
  return {
    open: () => queueMicrotask(() => handlers.onClose(error())),
    subscribe: () => Promise.reject(error()),
    unsubscribe: () => Promise.resolve(),
    publish: () => Promise.reject(error()),
    close: () => Promise.resolve(),
    abort: noop,
  }
}
