import type { Aedes, Client } from 'aedes'

// aedes 1.2 keeps these on its objects without typing them. Other untyped fields are read where they
// are used: `_parser` (packet-checks.ts), `_disconnected` (lifecycle-wiring.ts), `will` (http/data-plane.ts).

/** The live client registered under an id, if any. */
export const clientById = (aedes: Aedes, clientId: string): Client | undefined =>
  (aedes as Aedes & { clients: Record<string, Client | undefined> }).clients[clientId]

/** Topic filters the client is subscribed to. */
export const subscriptionsOf = (client: Client): string[] => Object.keys((client as Client & { subscriptions: Record<string, unknown> }).subscriptions)

/** What identifies a QoS 1 message in aedes' session store (aedes-packet fields). */
export interface StoredPacket {
  brokerId?: string
  brokerCounter?: number
  qos?: number
  /** Given when the message is sent to this client; undefined while it waits. */
  messageId?: number
}

/** The part of aedes' session store (aedes-persistence) the stand-in wraps. */
interface OutgoingStore {
  /** Gives a stored message the packet id it is sent with (called just before it goes out). */
  outgoingUpdate(client: Client, packet: StoredPacket): Promise<unknown>
  /** Removes the message sent with `packet.messageId` (acknowledged, or not to be forwarded). */
  outgoingClearMessageId(client: Client, packet: StoredPacket): Promise<unknown>
}

export const persistenceOf = (aedes: Aedes): OutgoingStore => (aedes as Aedes & { persistence: OutgoingStore }).persistence
