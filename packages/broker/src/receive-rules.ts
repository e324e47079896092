import type { Aedes, Client } from 'aedes'
import { subscriptionsOf } from './aedes-adapter/index.js'
import { iotFilterMatches } from './iot-limits.js'
import type { Session, Sessions } from './sessions.js'

/**
 * What a client may be sent, also once it is closing or offline. A closing client has given up its
 * live subscriptions and its session, yet aedes still hands it the stored and held messages of a
 * persistent session (and stores what it does not refuse); and aedes stores a QoS 1 message for every
 * offline persistent session whose filter matches in MQTT's sense. So the filters and the session
 * (its policy) are remembered: per client while it closes, per client id while a persistent session
 * is offline (its last connection's policy).
 */
export class ReceiveRules {
  readonly #closing = new WeakMap<Client, { filters: string[]; session: Session | undefined }>()
  readonly #offline = new Map<string, Session | undefined>()
  readonly #sessions: Sessions

  constructor(sessions: Sessions) {
    this.#sessions = sessions
  }

  /** Follows the broker's clients from now on. */
  watch(aedes: Aedes): void {
    const remember = (client: Client): void => {
      if (client.closed) return
      const session = this.#sessions.get(client)
      this.#closing.set(client, { filters: subscriptionsOf(client), session })
      if (client.clean) this.#offline.delete(client.id)
      else this.#offline.set(client.id, session)
    }
    // 'client': registered, a resumed session's subscriptions restored (aedes emits no 'subscribe' for them)
    aedes.on('client', remember)
    aedes.on('clientReady', remember)
    aedes.on('subscribe', (_subs, client) => remember(client))
    aedes.on('unsubscribe', (_topics, client) => remember(client))
  }

  /** The client's filters and session: live ones, or as they were when it began to close. */
  of(client: Client): { filters: string[]; session: Session | undefined } {
    if (!client.closed) return { filters: subscriptionsOf(client), session: this.#sessions.get(client) }
    return this.#closing.get(client) ?? { filters: [], session: undefined }
  }

  /** Whether an offline persistent session should store a message on `topic` for its `filter`. */
  storesOffline(clientId: string, filter: string, topic: string): boolean {
    if (!iotFilterMatches(filter, topic)) return false
    const policy = this.#offline.get(clientId)?.policy
    return !policy || policy.evaluate('iot:Receive', topic, clientId).allowed
  }
}
