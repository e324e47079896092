import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import type { Client } from 'aedes'
import type { BrokerContext } from './context.js'
import { capWebSocketBeforeConnect, DEFAULT_PENDING_LIMITS, PendingConnections, type PendingConnectionLimits } from './pending-connections.js'

export type { PendingConnectionLimits } from './pending-connections.js'

/** A connection admitted while it waits for its CONNACK. */
interface AdmittedConnection {
  /** Follows the client until its CONNECT is accepted or it closes. */
  watch(client: Client): void
}

/** See {@link guardPendingConnection}. */
export interface PendingGuard {
  /** Admits a connection (`websocket`: its frames are capped from now until CONNACK), or refuses it: `refuse` answers and closes it. */
  admit(socket: Duplex | Socket, refuse: () => void, websocket: boolean): AdmittedConnection | undefined
  /** The client's CONNACK (accepting it) went out: it no longer counts as pending. */
  accepted(client: Client): void
  /** Connections not yet accepted. */
  readonly size: number
}

/**
 * The broker's door for connections not yet accepted: refuses one past the total or per-address cap
 * (a WebSocket upgrade gets 503, a TCP socket is closed) and caps a WebSocket's frames until CONNACK.
 */
export function guardPendingConnection(options: Partial<PendingConnectionLimits> | undefined, ctx: BrokerContext): PendingGuard {
  const limits: PendingConnectionLimits = { ...DEFAULT_PENDING_LIMITS, ...options }
  const pending = new PendingConnections(limits)
  const accepted = new WeakMap<Client, () => void>()
  const deny = (address: string, clientId: string, reason: string): void => {
    ctx.events.emit('denied', { clientId, action: 'limit', resource: 'connection', reason })
    ctx.logger.warn(`refused a connection from ${address}: ${reason}`)
  }
  return {
    admit(socket, refuse, websocket) {
      const address = (socket as Socket).remoteAddress ?? 'unknown'
      const admitted = pending.admit(address)
      if ('refused' in admitted) {
        deny(address, '', admitted.refused)
        refuse()
        return undefined
      }
      const { release } = admitted
      socket.once('close', release)
      let owner: Client | undefined
      const stopCap = websocket
        ? capWebSocketBeforeConnect(socket, limits.maxFramesBeforeConnect, (reason) => {
            deny(address, owner?.id ?? '', reason)
            socket.destroy()
          })
        : () => {}
      return {
        watch(client) {
          owner = client
          // from the CONNACK on, not aedes' 'connected': a resumed session's stored queue streams
          // before that, and the client answers it
          accepted.set(client, () => {
            stopCap()
            release()
          })
        },
      }
    },
    accepted(client) {
      accepted.get(client)?.()
      accepted.delete(client)
    },
    get size(): number {
      return pending.size
    },
  }
}
