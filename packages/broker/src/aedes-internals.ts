import type { Aedes, Client } from 'aedes'

// aedes 1.2 keeps these on its objects without typing them. Other untyped fields are read where they
// are used: `_parser` (packet-checks.ts), `_disconnected` (lifecycle-wiring.ts), `will` (http/data-plane.ts).

/** The live client registered under an id, if any. */
export const clientById = (aedes: Aedes, clientId: string): Client | undefined =>
  (aedes as Aedes & { clients: Record<string, Client | undefined> }).clients[clientId]

/** Topic filters the client is subscribed to. */
export const subscriptionsOf = (client: Client): string[] => Object.keys((client as Client & { subscriptions: Record<string, unknown> }).subscriptions)
