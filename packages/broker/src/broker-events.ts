import { EventEmitter } from 'node:events'
import type { IotAction } from './policy.js'

/** IoT's `disconnectReason` values the stand-in produces. */
export type DisconnectReason =
  | 'AUTH_ERROR'
  | 'CLIENT_INITIATED_DISCONNECT'
  | 'CLIENT_ERROR'
  | 'CONNECTION_LOST'
  | 'DUPLICATE_CLIENTID'
  | 'FORBIDDEN_ACCESS'
  | 'MQTT_KEEP_ALIVE_TIMEOUT'
  | 'SERVER_INITIATED_DISCONNECT'
  | 'CUSTOMAUTH_TTL_EXPIRATION'
  | 'THROTTLED'

/** A lifecycle event as published on `$aws/events/...`. */
export interface LifecycleEvent {
  /** `$aws/events/presence/connected/<clientId>` and the like. */
  topic: string
  /** The event's JSON payload, as published (`clientId`, `timestamp`, `eventType`, ...). */
  payload: Record<string, unknown>
}

/** An action the policies (or IoT's limits) refused. */
export interface Denial {
  /** Client id of the connection ('' when it has none yet). */
  clientId: string
  /** The authorizer's principal, when it is known. */
  principalId?: string
  /** The refused IoT action, or `limit` for one of IoT's limits. */
  action: IotAction | 'limit'
  /** ARN checked, or the limit broken. */
  resource: string
  /** Which statement denied, or which limit. */
  reason: string
}

/** Events of a running broker, for tests and tools. */
export interface BrokerEventMap {
  /** A lifecycle event was published. */
  lifecycle: [LifecycleEvent]
  /** An action was refused. */
  denied: [Denial]
}

/** Typed emitter: `broker.events.on('denied', (d) => ...)`. */
export class BrokerEvents extends EventEmitter<BrokerEventMap> {}
