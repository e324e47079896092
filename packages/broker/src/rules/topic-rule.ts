import type { RuleDefinition } from '@livetopic/iot'

export type { RepublishTarget } from '@livetopic/iot'

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

/**
 * A topic rule: IoT SQL plus a republish target, a Lambda action (both deploy to AWS with
 * `@livetopic/aws-cdk`), or a local function that runs in the stand-in's own process (tests only:
 * it keeps module state between messages, which no Lambda does).
 */
export type TopicRule =
  | RuleDefinition
  | {
      /** IoT SQL: `SELECT … FROM '<topic filter>' [WHERE …]`. */
      sql: string
      /** Receives the SELECT result (an object, or the raw bytes for `SELECT *` on a non-JSON payload). */
      action: (message: Record<string, unknown> | Buffer, context: RuleContext) => void | Promise<void>
      /** Label in errors and logs; default `rule <n>`. */
      name?: string
    }
