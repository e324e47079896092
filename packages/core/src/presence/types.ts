import type { ReadableAtom } from 'nanostores'
import type { LiveTopicError } from '../errors.js'
import type { LiveTopicClient, TopicState } from '../types.js'

/** One connection a strategy sees, with the state it last announced. */
export interface PresenceConnection {
  /** The MQTT client id of the connection. */
  clientId: string
  /** When it joined (ms since epoch), when known. */
  connectedAt?: number
  /** The JSON state it announced; `undefined` until it announced one. */
  state?: unknown
  /** When that state was announced (ms since epoch): the newest state wins across a member's connections. */
  updatedAt?: number
}

/** What a strategy reports: who is there, and whether it is following. */
export interface PresenceFeed {
  /** `subscribed` once every topic the strategy reads is. */
  status: TopicState['status']
  /** Connections present now. */
  connections: readonly PresenceConnection[]
  /** A refused subscription or a payload that did not read; connections are kept. */
  error?: LiveTopicError
}

/**
 * How presence reaches a broker: {@link retainedPresence} (any MQTT broker: one retained message
 * per connection and a will that clears it) or {@link iotPresence} (AWS IoT Core: lifecycle events
 * plus a roster a rule keeps). Reuse one strategy object: it keys the stores.
 */
export interface PresenceStrategy {
  /** Names the strategy in errors. */
  readonly name: string
  /** Store of the connections present; follows the broker while it has listeners. Same client → same store. */
  connections(client: LiveTopicClient): ReadableAtom<PresenceFeed>
  /** Makes `state` (JSON, already size-checked) this connection's, visible to everyone. */
  announce(client: LiveTopicClient, state: unknown): Promise<void>
  /** Withdraws this connection on purpose (a dropped one is the broker's to report). */
  leave(client: LiveTopicClient): Promise<void>
}

/** One member: a person (or device) with every connection `member` grouped under it. */
export interface PresenceMember<S = unknown> {
  /** `member(clientId)`, or the client id when there is no grouping. */
  id: string
  /** Its connections, oldest first. */
  clientIds: readonly string[]
  /** The newest state any of its connections announced; `undefined` until one did. */
  state: S | undefined
  /** When its oldest connection joined (ms since epoch), when known. */
  connectedAt?: number
  /** True for the member this client belongs to. */
  isMe: boolean
}

/** The value of a presence room store. */
export interface PresenceView<S = unknown> {
  /** `subscribed` once every topic the strategy reads is; `idle` while nothing listens. */
  status: TopicState['status']
  /** Members, oldest first. */
  members: readonly PresenceMember<S>[]
  /** This client's member, with its own latest state at once (before the broker echoes it). */
  me: PresenceMember<S> | undefined
  /** A refused subscription, an unreadable payload, or a failed announce; members are kept. */
  error?: LiveTopicError
}
