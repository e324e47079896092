import type { Aedes } from 'aedes'
import { persistenceOf } from './internals.js'

/**
 * Two places where aedes' handling of a persistent session's stored QoS 1 messages loses one.
 *
 * - A delivery with no stored copy closes the client ("no such packet"). aedes' own UNSUBSCRIBE
 *   makes that happen: the stored subscription goes first, the live one a moment later, and a
 *   message published in between is delivered live without being stored. Under subscribe/
 *   unsubscribe churn the soak saw hundreds of such closes a minute. Here it is sent as to a clean
 *   session: once, not stored.
 * - A delivery the broker does not forward (`authorizeForward` refused: IoT's `a/#` ≠ `a`, a
 *   Receive denial, a topic just unsubscribed) is cleared from the session by its packet id, which
 *   a message not yet sent does not have: aedes then removes the first unsent message of the
 *   session, someone else's. Here the message's own copy is removed.
 */
export function fixSessionStore(aedes: Aedes): void {
  const persistence = persistenceOf(aedes)
  const outgoingUpdate = persistence.outgoingUpdate.bind(persistence)
  const outgoingClearMessageId = persistence.outgoingClearMessageId.bind(persistence)
  persistence.outgoingUpdate = (client, packet) =>
    outgoingUpdate(client, packet).catch((error: unknown) => {
      // aedes-persistence's in-memory store (the stand-in's) names the case this way
      if (!(error instanceof Error && error.message === 'no such packet')) throw error
    })
  // a mark no real packet id (1–65535) can equal, one per call
  let mark = 0
  persistence.outgoingClearMessageId = async (client, packet) => {
    if (packet.messageId !== undefined) return outgoingClearMessageId(client, packet)
    const own = { ...packet, messageId: --mark }
    // outgoingUpdate finds the message by broker id and counter and gives it the mark
    await persistence.outgoingUpdate(client, own)
    return outgoingClearMessageId(client, own)
  }
}

/** Whether the session of `clientId` stores a QoS 1 message on `topic` matched by its `filter`. */
export type StoresOffline = (clientId: string, filter: string, topic: string) => boolean

/**
 * aedes stores a QoS 1 message for every persistent session whose filter matches it in MQTT's sense
 * (`a/#` matches `a`, IoT's does not), whatever the session's policy lets it receive: a session that
 * could never be sent it kept it until its next resume, or for ever. Only the subscriptions `keep`
 * accepts store it.
 */
export function filterSessionQueue(aedes: Aedes, keep: StoresOffline): void {
  const persistence = persistenceOf(aedes)
  const enqueue = persistence.outgoingEnqueueCombi.bind(persistence)
  persistence.outgoingEnqueueCombi = (subs, packet) => {
    const kept = subs.filter((sub) => keep(sub.clientId, sub.topic, packet.topic))
    return kept.length === 0 ? Promise.resolve() : enqueue(kept, packet)
  }
}
