// The one place where the stand-in reaches past aedes' and mqtt-packet's public API: private fields
// (internals.ts), replaced methods (resume-order, session-store-fixes, session-quotas, packet-checks, slow-consumers,
// the authorizeForward count below) and the stream contract aedes writes to (websocket-stream,
// outgoing-queue). aedes and mqtt-packet are pinned to exact versions in package.json, and
// test/broker/aedes-internals.test.ts checks every internal used here against the installed ones.
import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import type { Aedes, Client } from 'aedes'
import type { BrokerContext } from '../context.js'
import { parserOf } from './internals.js'
import { InFlightWindow, outgoingQueueOf, trackSocketWrites } from './outgoing-queue.js'
import { watchPacketWrites } from './packet-writes.js'
import { attachPacketChecks } from './packet-checks.js'
import { holdLiveDeliveriesWhileResuming } from './resume-order.js'
import { filterSessionQueue, fixSessionStore, type StoresOffline } from './session-store-fixes.js'
import { SharedSubscriptions } from './shared-subscriptions.js'
import { isolateSlowConsumer, type OutgoingLimits } from './slow-consumers.js'

export { closeWithReason, DISCONNECT_CODES, REASON, sendDisconnectNow } from './disconnect-reasons.js'
export { sharedFilterOf } from './shared-subscriptions.js'
export { clientById, dropWill, sentDisconnect, subscriptionsOf } from './internals.js'
export { coalescingWebSocketStream } from './websocket-stream.js'
export { enforceSessionQuotas } from './session-quotas.js'
export { DEFAULT_OUTGOING_LIMITS, type OutgoingLimits } from './slow-consumers.js'

/** Each broker's shared-subscription groups. */
const sharedOf = new WeakMap<Aedes, SharedSubscriptions>()

/**
 * Patches a new aedes instance: QoS 1 order on resume, the session store's fixes, shared
 * subscriptions' one-member-per-group delivery, a count of forwarded messages, and `storesOffline`
 * deciding which QoS 1 messages a persistent session stores.
 */
export function adaptBroker(aedes: Aedes, onForwarded: () => void, storesOffline: StoresOffline): void {
  holdLiveDeliveriesWhileResuming(aedes)
  fixSessionStore(aedes)
  filterSessionQueue(aedes, storesOffline)
  const shared = new SharedSubscriptions()
  sharedOf.set(aedes, shared)
  aedes.on('clientDisconnect', (client) => shared.closed(client))
  const forward = aedes.authorizeForward.bind(aedes)
  aedes.authorizeForward = (client, packet) => {
    const result = forward(client, packet)
    if (!result || !shared.delivers(client, packet)) return null
    onForwarded()
    return result
  }
}

/**
 * Hands a connection to aedes with the stand-in's checks: packet checks before aedes sees a packet,
 * and a bounded outgoing queue. `stream` is a `coalescingWebSocketStream` or a TCP socket.
 */
export function handleConnection(aedes: Aedes, stream: Duplex | Socket, req: IncomingMessage | undefined, ctx: BrokerContext, limits: OutgoingLimits): Client {
  const queue = outgoingQueueOf(stream) ?? trackSocketWrites(stream as Socket)
  // MQTT 5 only: IoT's outbound limit for 3.1.1 clients is not enforced (a difference, in the README)
  const window = new InFlightWindow(queue, () => (client.version === 5 ? client.receiveMaximum : Infinity))
  watchPacketWrites(stream, window)
  const client = aedes.handle(stream, req)
  attachPacketChecks(client, ctx, sharedOf.get(aedes)!)
  parserOf(client).prependListener('packet', (packet) => {
    if (packet.cmd === 'puback' && packet.messageId !== undefined) window.acked(packet.messageId)
  })
  isolateSlowConsumer(client, queue, limits, ctx)
  return client
}
