import type { Aedes } from 'aedes'
import { REASON, sendDisconnectNow, sentDisconnect } from './aedes-adapter/index.js'
import type { DisconnectReason } from './broker-events.js'
import type { BrokerContext } from './context.js'

/** Turns aedes' client events into IoT lifecycle events with the right `disconnectReason`. */
export function wireLifecycle(aedes: Aedes, ctx: BrokerContext): void {
  const { sessions, lifecycle } = ctx
  aedes.on('clientReady', (client) => {
    const s = sessions.get(client)
    if (!s) return
    s.connectedAt = Date.now()
    lifecycle.connected(s)
  })
  aedes.on('keepaliveTimeout', (client) => {
    const s = sessions.get(client)
    if (s) s.reason ??= 'MQTT_KEEP_ALIVE_TIMEOUT'
    // aedes closes the connection right after this event: an MQTT 5 client is told why first
    sendDisconnectNow(client, REASON.keepAliveTimeout)
  })
  // aedes' own Maximum Packet Size check (an oversized frame is refused as soon as its header is read)
  const tooLarge = (client: { id?: string }, error: Error & { size?: number; maximumPacketSize?: number }): void => {
    if (error.message !== 'packet too large') return
    const reason = `a packet of ${error.size} bytes, over the Maximum Packet Size (${error.maximumPacketSize})`
    ctx.events.emit('denied', { clientId: client.id ?? '', action: 'limit', resource: client.id ? 'packet' : 'connection', reason })
    ctx.logger.warn(`closed the connection of client ${client.id || '(before CONNECT)'}: ${reason}`)
  }
  aedes.on('clientError', tooLarge)
  aedes.on('connectionError', tooLarge)
  aedes.on('clientDisconnect', (client) => {
    const s = sessions.delete(client)
    if (!s || s.connectedAt === undefined) return
    const clean = sentDisconnect(client)
    const reason: DisconnectReason = s.reason ?? (clean ? 'CLIENT_INITIATED_DISCONNECT' : 'CONNECTION_LOST')
    lifecycle.disconnected(s, reason)
  })
  aedes.on('subscribe', (subs, client) => {
    const s = sessions.get(client)
    const topics = subs.filter((sub) => (sub.qos as number) !== 128).map((sub) => sub.topic)
    if (s && topics.length > 0) lifecycle.subscriptions(s, 'subscribed', topics)
  })
  aedes.on('unsubscribe', (topics, client) => {
    // aedes also "unsubscribes" everything when a connection closes; IoT reports only real UNSUBSCRIBEs
    const s = sessions.get(client)
    if (s && !client.closed && topics.length > 0) lifecycle.subscriptions(s, 'unsubscribed', [...topics])
  })
}
