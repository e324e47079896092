import type { Client } from 'aedes'
import type { BrokerContext } from '../context.js'
import type { OutgoingQueue } from './outgoing-queue.js'
import type { DeliveringClient } from './internals.js'

/**
 * How much a connection may have queued for it (written by the broker, not yet taken by its socket)
 * before it counts as a slow consumer. AWS IoT Core throttles each connection's outbound traffic
 * (512 KiB/s, 100 publishes/s, 100 unacknowledged QoS 1 messages in flight: "AWS IoT Core endpoints
 * and quotas", https://docs.aws.amazon.com/general/latest/gr/iot-core.html#message-broker-limits),
 * drops throttled QoS 0 messages, and disconnects with `disconnectReason` THROTTLED ("Lifecycle
 * events", https://docs.aws.amazon.com/iot/latest/developerguide/life-cycle-events.html). It
 * documents no queue size; the figures here are the stand-in's.
 */
export interface OutgoingLimits {
  /** Bytes queued past which QoS 0 messages to the client are dropped; twice this disconnects it. Default 4 MiB. */
  maxQueuedBytes: number
  /** MQTT packets queued past which QoS 0 messages are dropped; twice this disconnects. Default 2,000. */
  maxQueuedMessages: number
  /** A client still over a limit after this many milliseconds is disconnected (THROTTLED). Default 10,000. */
  disconnectAfterMs: number
}

export const DEFAULT_OUTGOING_LIMITS: OutgoingLimits = {
  maxQueuedBytes: 4 * 1024 * 1024,
  maxQueuedMessages: 2000,
  disconnectAfterMs: 10_000,
}

/**
 * Bounds what one client can have queued, so that no other client waits for it: aedes' message bus
 * waited for each subscriber's 'drain' (the write no longer asks for it: websocket-stream.ts,
 * outgoing-queue.ts). Past a limit QoS 0 messages to the client are dropped; QoS 1 ones still queue
 * (a persistent session keeps them in its store as well) until twice the limit or `disconnectAfterMs`
 * over it, when the client is disconnected with THROTTLED.
 */
export function isolateSlowConsumer(client: Client, queue: OutgoingQueue, limits: OutgoingLimits, ctx: BrokerContext): void {
  const over = (factor: number): boolean => queue.bytes > limits.maxQueuedBytes * factor || queue.packets > limits.maxQueuedMessages * factor
  let timer: NodeJS.Timeout | undefined
  let dropped = 0
  const disconnect = (why: string): void => {
    clearTimeout(timer)
    if (client.closed || client.conn.destroyed) return
    const session = ctx.sessions.get(client)
    if (session) session.reason ??= 'THROTTLED'
    const reason = `slow consumer: ${why} (${queue.bytes} bytes, ${queue.packets} packets queued, ${dropped} QoS 0 messages dropped)`
    ctx.events.emit('denied', { clientId: client.id ?? '', action: 'limit', resource: 'outgoing queue', reason })
    ctx.logger.warn(`disconnected client ${client.id}: ${reason}`)
    client.conn.destroy()
  }
  queue.onWrite = () => {
    if (over(2)) return disconnect('twice the queue limit')
    if (timer === undefined && over(1)) {
      timer = setTimeout(() => {
        timer = undefined
        if (over(1)) disconnect(`over the queue limit for ${limits.disconnectAfterMs} ms`)
      }, limits.disconnectAfterMs).unref()
    }
  }
  client.conn.once('close', () => clearTimeout(timer))
  // subscriptions capture deliver0 when they are made, so it is wrapped before any (aedes' deliverQoS
  // hands QoS 0 messages to `client.deliver0` too)
  const deliverable = client as DeliveringClient
  const deliver0 = deliverable.deliver0
  deliverable.deliver0 = (packet, callback) => {
    if (client.closed || !over(1)) return deliver0(packet, callback)
    dropped++
    setImmediate(callback)
  }
}
