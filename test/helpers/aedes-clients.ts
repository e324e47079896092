import type { RunningBroker } from '@livetopic/broker'
import type { Client } from 'aedes'

/** The broker's connected clients (aedes keeps them in `clients`, which its types leave out). */
export function aedesClients(broker: RunningBroker): (Client & { subscriptions: Record<string, unknown> })[] {
  const clients = (broker.aedes as unknown as { clients: Record<string, Client & { subscriptions: Record<string, unknown> }> }).clients
  return Object.values(clients)
}
