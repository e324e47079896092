import type { Aedes, Client } from 'aedes'
import { persistenceOf, type Deliver, type DeliveringClient as Deliverable, type StoredPacket } from './internals.js'

/**
 * Keeps QoS 1 order per topic for a resuming persistent session. aedes restores the session's
 * subscriptions (live deliveries start) before it streams the messages stored while the client was
 * away, so the two interleave: stored 1–3, live 11, stored 4… This holds a resuming client's live
 * deliveries until its stored queue is drained (aedes' `clientReady`), then delivers them in order.
 *
 * A QoS 1 message published while the queue streams is both stored and held; if the stored copy
 * already went out, the held one is dropped: sending it again would duplicate it, and once the
 * client has acknowledged the stored copy aedes finds nothing to update ("no such packet") and
 * closes the connection, which then resumes into the same trap.
 */
export function holdLiveDeliveriesWhileResuming(aedes: Aedes): void {
  const releases = new WeakMap<Client, () => void>()
  // what the stored queue sent while a client was held: aedes gives each a packet id just before
  const replayed = new WeakMap<Client, Set<string>>()
  const key = (packet: StoredPacket): string => `${packet.brokerId}:${packet.brokerCounter}`
  const persistence = persistenceOf(aedes)
  const outgoingUpdate = persistence.outgoingUpdate.bind(persistence)
  persistence.outgoingUpdate = (client, packet) => {
    replayed.get(client)?.add(key(packet))
    return outgoingUpdate(client, packet)
  }
  const preConnect = aedes.preConnect.bind(aedes)
  aedes.preConnect = (client, packet, callback) => {
    if (!packet.clean) hold(client as Deliverable)
    preConnect(client, packet, callback)
  }
  const release = (client: Client): void => releases.get(client)?.()
  aedes.on('clientReady', release)

  function hold(client: Deliverable): void {
    // subscriptions capture these functions when aedes restores them, so swap them first
    const original = { deliver0: client.deliver0, deliverQoS: client.deliverQoS }
    const held: [Deliver, StoredPacket, () => void][] = []
    const sent = new Set<string>()
    replayed.set(client, sent)
    const gate =
      (deliver: Deliver): Deliver =>
      (packet, callback) => {
        if (releases.has(client)) held.push([deliver, packet, callback])
        else deliver(packet, callback)
      }
    client.deliver0 = gate(original.deliver0)
    client.deliverQoS = gate(original.deliverQoS)
    releases.set(client, () => {
      // The gate stays shut until the list is empty. A held delivery stays in flight on aedes'
      // message bus until its callback, and a full bus queues new messages; a callback here (a
      // skipped duplicate's, synchronously) lets the bus hand the next queued one to this client at
      // once. Through an open gate it would overtake the rest of the list, and aedes' dedupe, which
      // wants increasing broker counters per connection, would then drop them and clear them from
      // the session: lost (the soak's residual loss). Shut, it joins the end of the list.
      // A closed client's held deliveries still run: aedes then stores or drops them as it would.
      // (an index, not shift(): a long list would be copied down once per message)
      for (let i = 0; i < held.length; i++) {
        const [deliver, packet, callback] = held[i]!
        if ((packet.qos ?? 0) > 0 && sent.has(key(packet))) callback()
        else deliver(packet, callback)
      }
      held.length = 0
      releases.delete(client)
      replayed.delete(client)
    })
    // CONNECT refused or connection lost before the queue drained
    client.conn.once('close', () => release(client))
  }
}
