import type { WebSocketConstructor } from '@livetopic/core'
import { WebSocket } from 'ws'

/**
 * A `ws` WebSocket class whose sockets a test can kill without a goodbye (no DISCONNECT, no close
 * frame: the TCP connection is destroyed), the way a crashed tab or a lost network ends a
 * connection, so the broker publishes the client's will.
 */
export function killableSockets(): { WebSocket: WebSocketConstructor; killAll: () => void } {
  const open = new Set<WebSocket>()
  class Killable extends WebSocket {
    constructor(url: string, protocols: string[], options?: { headers?: Record<string, string>; maxPayload?: number }) {
      super(url, protocols, options)
      open.add(this)
      this.once('close', () => open.delete(this))
    }
  }
  return {
    WebSocket: Killable,
    killAll: () => {
      for (const socket of open) socket.terminate()
    },
  }
}
