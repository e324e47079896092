import type { Aedes } from 'aedes'
import type { BrokerEvents, DisconnectReason } from './broker-events.js'
import type { Session } from './sessions.js'

/** Publishes IoT Core's lifecycle events (`$aws/events/...`) through aedes and the broker's emitter. */
export class Lifecycle {
  constructor(
    private readonly aedes: () => Aedes,
    private readonly events: BrokerEvents,
  ) {}

  #publish(topic: string, payload: Record<string, unknown>): void {
    this.events.emit('lifecycle', { topic, payload })
    const aedes = this.aedes()
    if (aedes.closed) return
    aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(JSON.stringify(payload)), qos: 1, retain: false, dup: false }, () => {})
  }

  #base(s: Session, eventType: string): Record<string, unknown> {
    return { clientId: s.clientId, timestamp: Date.now(), eventType, sessionIdentifier: s.sessionIdentifier, principalIdentifier: s.principalId ?? 'anonymous' }
  }

  connected(s: Session): void {
    this.#publish(`$aws/events/presence/connected/${s.clientId}`, { ...this.#base(s, 'connected'), ipAddress: s.ipAddress, versionNumber: s.versionNumber })
  }

  disconnected(s: Session, reason: DisconnectReason): void {
    this.#publish(`$aws/events/presence/disconnected/${s.clientId}`, {
      ...this.#base(s, 'disconnected'),
      clientInitiatedDisconnect: reason === 'CLIENT_INITIATED_DISCONNECT',
      disconnectReason: reason,
      ipAddress: s.ipAddress,
      versionNumber: s.versionNumber,
    })
  }

  connectFailed(clientId: string, ipAddress: string): void {
    this.#publish(`$aws/events/presence/connect_failed/${clientId}`, {
      clientId,
      timestamp: Date.now(),
      eventType: 'connect_failed',
      connectionFailureReason: 'AUTHORIZATION_FAILED',
      ipAddress,
    })
  }

  subscriptions(s: Session, kind: 'subscribed' | 'unsubscribed', topics: string[]): void {
    this.#publish(`$aws/events/subscriptions/${kind}/${s.clientId}`, { ...this.#base(s, kind), topics })
  }
}
