import type { WebSocketConstructor } from '@livetopic/core'
import { WebSocket } from 'ws'

/**
 * A `ws` WebSocket class whose sockets a test can kill without a goodbye (no DISCONNECT, no close
 * frame: the TCP connection is destroyed), the way a crashed tab or a lost network ends a
 * connection, so the broker publishes the client's will.
 */
export function killableSockets(): { WebSocket: WebSocketConstructor; killAll: () => void; goOffline: () => () => void } {
  const open = new Set<WebSocket>()
  let offline = false
  class Killable extends WebSocket {
    constructor(url: string, protocols: string[], options?: { headers?: Record<string, string>; maxPayload?: number }) {
      // offline, every attempt goes to a closed port and is refused
      super(offline ? 'ws://127.0.0.1:1/mqtt' : url, protocols, options)
      open.add(this)
      this.once('close', () => open.delete(this))
    }
  }
  return {
    WebSocket: Killable,
    killAll: () => {
      for (const socket of open) socket.terminate()
    },
    /**
     * Kills every socket and refuses new ones until the returned function is called: how long a
     * client stays away is then the test's to choose, not a draw of its reconnect jitter.
     */
    goOffline: () => {
      offline = true
      for (const socket of open) socket.terminate()
      return () => {
        offline = false
      }
    },
  }
}
