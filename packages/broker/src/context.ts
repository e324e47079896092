import type { Aedes } from 'aedes'
import type { Authorizer } from './authorizer-types.js'
import type { DashboardAccess } from './dashboard-access.js'
import type { BrokerEvents } from './broker-events.js'
import type { Lifecycle } from './lifecycle.js'
import type { ReceiveRules } from './receive-rules.js'
import type { QuotaChecks } from './quotas/quota-checks.js'
import type { BrokerLogger } from './logger.js'
import type { Sessions } from './sessions.js'
import type { TokenSigning } from './token-signature.js'

/** What the hooks share: options resolved once, plus the live state. */
export interface BrokerContext {
  authorizer?: Authorizer
  /** The dashboard's key, when the dashboard is on. */
  dashboard?: DashboardAccess
  tokenSigning?: TokenSigning
  tokenKeyName: string
  /** `arn:aws:iot:<region>:<account>:` */
  arnPrefix: string
  allowShortDurations: boolean
  authorizerTimeoutMs: number
  logger: BrokerLogger
  events: BrokerEvents
  sessions: Sessions
  /** IoT's quotas (subscriptions, publish and connect rates, retained messages). */
  quotas: QuotaChecks
  lifecycle: Lifecycle
  /** What a client may be sent, also while it closes or is offline; set once the broker exists. */
  receiveRules: ReceiveRules
  aedes(): Aedes
}
