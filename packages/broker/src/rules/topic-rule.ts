/** What a rule action receives besides the selected message. */
export interface RuleContext {
  /** Topic the message arrived on. */
  topic: string
  /** Publishing client id ('' for HTTP and broker publishes). */
  clientId: string
  /** Arrival time, ms. */
  timestamp: number
  /** The original payload bytes. */
  payload: Buffer
  /** Publishes from the rules engine (as IoT's republish action does). */
  republish(topic: string, payload: unknown, options?: { qos?: 0 | 1; retain?: boolean }): Promise<void>
}

/** Republish target: a topic template (`${topic(2)}`, `${clientid()}` ... substituted) and its QoS. */
export interface RepublishTarget {
  topic: string
  qos?: 0 | 1
}

/** A topic rule: IoT SQL plus either a republish target or a local function. */
export type TopicRule =
  | { sql: string; republish: string | RepublishTarget; name?: string }
  | {
      sql: string
      /** Receives the SELECT result (an object, or the raw bytes for `SELECT *` on a non-JSON payload). */
      action: (message: Record<string, unknown> | Buffer, context: RuleContext) => void | Promise<void>
      name?: string
    }
