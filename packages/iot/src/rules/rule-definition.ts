/** Republish target: a topic template (`${topic(2)}`, `${clientid()}` ... substituted) and its QoS. */
export interface RepublishTarget {
  /** Topic template, e.g. `rooms/${topic(2)}/out`. */
  topic: string
  /** QoS of the republished message (default 0). */
  qos?: 0 | 1
}

/**
 * A rule action that runs a Lambda function: the stand-in bundles `entry` and runs it as Lambda
 * does (fresh module state per instance, concurrent invocations); the CDK construct deploys the
 * same file as the rule's Lambda action.
 */
export interface LambdaAction {
  /** The handler's source file (absolute path). */
  entry: string
  /** Exported name; default `handler`. */
  handler?: string
  /** Topics it publishes to (IAM resource patterns, `*` allowed): on AWS its role gets `iot:Publish` on these only. */
  publishes?: string[]
  /** Topics it publishes retained messages to: `iot:RetainPublish` (and `iot:Publish`) on these only. */
  retains?: string[]
  /** Environment variables of the function. */
  environment?: Record<string, string>
}

/** A topic rule both the stand-in and AWS can run: IoT SQL plus a republish target or a Lambda action. */
export type RuleDefinition =
  | {
      /** IoT SQL: `SELECT … FROM '<topic filter>' [WHERE …]`. */
      sql: string
      /** Label in errors and logs, and on AWS in the rule's description and construct id; default `rule <n>`. */
      name?: string
      /** Where the SELECT result is republished: a topic template (QoS 0) or a target with its QoS. */
      republish: string | RepublishTarget
    }
  | {
      /** IoT SQL: `SELECT … FROM '<topic filter>' [WHERE …]`. */
      sql: string
      /** Label in errors and logs, and on AWS in the rule's description and construct id; default `rule <n>`. */
      name?: string
      /** The Lambda function that receives the SELECT result. */
      lambda: LambdaAction
    }

/** What {@link checkRules} accepts: a rule definition, or a stand-in rule whose action is an in-process function. */
export type RuleInput =
  | RuleDefinition
  | {
      /** IoT SQL: `SELECT … FROM '<topic filter>' [WHERE …]`. */
      sql: string
      /** Label in errors and logs; default `rule <n>`. */
      name?: string
      /** A function the stand-in runs in its own process; on AWS it needs a handler file (`actions`). */
      action: (...args: never[]) => unknown
    }
