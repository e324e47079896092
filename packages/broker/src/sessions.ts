import type { Client } from 'aedes'
import type { AuthorizerEvent } from './authorizer-types.js'
import type { DisconnectReason } from './broker-events.js'
import type { Policy } from './policy.js'

/** What the broker knows about one live connection. */
export interface Session {
  clientId: string
  /** From the authorizer; undefined when authorization is off. */
  principalId?: string
  /** Undefined when authorization is off: everything is allowed. */
  policy?: Policy
  sessionIdentifier: string
  versionNumber: number
  ipAddress: string
  connectedAt?: number
  /** Kept to call the authorizer again on refresh. */
  event?: AuthorizerEvent
  /** Why the broker is closing it, when it is the one closing. */
  reason?: DisconnectReason
  timers: NodeJS.Timeout[]
}

/** One row of `broker.connections()`. */
export interface ConnectionInfo {
  /** MQTT client id. */
  clientId: string
  /** The authorizer's principal (absent when authorization is off). */
  principalId?: string
  /** When its connection was accepted (ms since epoch). */
  connectedAt: number
  /** Its topic filters. */
  subscriptions: string[]
}

/** Sessions by aedes client, plus IoT's per-client-id version counter. */
export class Sessions {
  readonly #byClient = new Map<Client, Session>()
  readonly #versions = new Map<string, number>()

  /** The next `versionNumber` for a client id (connect and its disconnect share one). */
  nextVersion(clientId: string): number {
    const v = (this.#versions.get(clientId) ?? 0) + 1
    this.#versions.set(clientId, v)
    return v
  }

  set(client: Client, session: Session): void {
    this.#byClient.set(client, session)
  }

  get(client: Client | null | undefined): Session | undefined {
    return client ? this.#byClient.get(client) : undefined
  }

  /** Forgets a client and stops its timers. */
  delete(client: Client): Session | undefined {
    const s = this.#byClient.get(client)
    if (s) for (const t of s.timers) clearTimeout(t)
    this.#byClient.delete(client)
    return s
  }

  /** Connected clients (CONNACK sent), oldest first. */
  connected(): [Client, Session][] {
    return [...this.#byClient].filter(([c, s]) => s.connectedAt !== undefined && c.connected && !c.closed)
  }

  /** Stops every timer (broker closing). */
  clear(): void {
    for (const s of this.#byClient.values()) for (const t of s.timers) clearTimeout(t)
    this.#byClient.clear()
  }
}
