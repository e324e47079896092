import type { Client, PublishPacket } from 'aedes'
import { subscriptionsOf } from '../aedes-adapter/index.js'
import type { DisconnectReason } from '../broker-events.js'
import type { ResolvedQuotas } from './options.js'
import { RateLimiter } from './rate-limiter.js'

/** Why a quota refuses something, and the `disconnectReason` the connection leaves with. */
export interface QuotaRefusal {
  reason: string
  disconnect: DisconnectReason
}

/** What the retained-message quota needs to know about the retained store. */
export interface RetainedCount {
  readonly size: number
  /** Payload bytes of every retained message together. */
  readonly bytes: number
  /** Payload bytes retained on `topic` (0 when none). */
  bytesOn(topic: string): number
}

/** The per-connection and per-client-id quotas, checked from the aedes hooks (iot-hooks.ts). */
export class QuotaChecks {
  readonly quotas: ResolvedQuotas
  readonly #connects: RateLimiter
  readonly #publishes: RateLimiter
  /** Filters granted to a connection that aedes may not have added to `client.subscriptions` yet. */
  readonly #granted = new WeakMap<Client, Set<string>>()
  #retained: RetainedCount = { size: 0, bytes: 0, bytesOn: () => 0 }

  constructor(quotas: ResolvedQuotas) {
    this.quotas = quotas
    this.#connects = new RateLimiter(quotas.connectsPerSecondPerClientId)
    this.#publishes = new RateLimiter(quotas.publishesPerSecondPerConnection)
  }

  /** The retained store exists once the broker does. */
  countRetained(retained: RetainedCount): void {
    this.#retained = retained
  }

  /** A CONNECT for `clientId`: refused past IoT's connects per second per client id. */
  connect(clientId: string): QuotaRefusal | undefined {
    if (this.#connects.take(clientId)) return undefined
    return { reason: `more than ${this.quotas.connectsPerSecondPerClientId} CONNECT per second for this client id`, disconnect: 'THROTTLED' }
  }

  /** A filter asked for in a SUBSCRIBE: refused when it would take the connection past its quota. */
  subscribe(client: Client, filter: string): QuotaRefusal | undefined {
    const granted = this.#granted.get(client) ?? new Set<string>()
    this.#granted.set(client, granted)
    const held = new Set([...subscriptionsOf(client), ...granted])
    if (held.has(filter)) return undefined // a re-subscribe replaces, it does not add
    if (held.size >= this.quotas.subscriptionsPerConnection) {
      return { reason: `more than ${this.quotas.subscriptionsPerConnection} subscriptions on one connection`, disconnect: 'CLIENT_ERROR' }
    }
    granted.add(filter)
    return undefined
  }

  /** Filters a client gave up no longer count. */
  unsubscribed(client: Client, filters: readonly string[]): void {
    const granted = this.#granted.get(client)
    if (granted) for (const f of filters) granted.delete(f)
  }

  /** A PUBLISH from a connection (`connectionId` is unique per connection): its rate, and the retained quotas. */
  publish(connectionId: string, packet: PublishPacket, size: number): QuotaRefusal | undefined {
    if (!this.#publishes.take(connectionId)) {
      return { reason: `more than ${this.quotas.publishesPerSecondPerConnection} PUBLISH per second on one connection`, disconnect: 'THROTTLED' }
    }
    return packet.retain ? this.retain(packet.topic, size) : undefined
  }

  /** A retained message (MQTT or HTTP): over the size or, for a new topic, the count, it is refused. */
  retain(topic: string, size: number): QuotaRefusal | undefined {
    if (size === 0) return undefined // deletes a retained message
    if (size > this.quotas.retainedMessageBytes) {
      return { reason: `retained message larger than ${this.quotas.retainedMessageBytes} bytes`, disconnect: 'CLIENT_ERROR' }
    }
    const replaced = this.#retained.bytesOn(topic)
    if (replaced === 0 && this.#retained.size >= this.quotas.retainedMessages) {
      return { reason: `more than ${this.quotas.retainedMessages} retained messages`, disconnect: 'THROTTLED' }
    }
    if (this.#retained.bytes - replaced + size > this.quotas.retainedBytesTotal) {
      return { reason: `more than ${this.quotas.retainedBytesTotal} bytes of retained messages`, disconnect: 'THROTTLED' }
    }
    return undefined
  }
}
