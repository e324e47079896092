import { checkRules, type RuleInput } from '@livetopic/iot'
import { Stack } from 'aws-cdk-lib'
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import { CfnTopicRule } from 'aws-cdk-lib/aws-iot'
import type { BundlingOptions, NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs'
import { Construct } from 'constructs'
import { BundledFunction } from './bundled-function.js'
import { iotArn, templateToPattern } from './iot-arn.js'

/** IoT's SQL version for every rule (the stand-in's parser follows it). */
export const IOT_SQL_VERSION = '2016-03-23'

/** A Lambda that does on AWS what a rule's JavaScript `action` does on the stand-in. */
export interface RuleActionHandler {
  /** Handler file; it receives the rule's SELECT result as its event. */
  entry: string
  /** Exported name; default `handler`. */
  handler?: string
  /** Topics it publishes to (IAM resource patterns, `*` allowed): its role gets `iot:Publish` on these only. */
  publishes?: string[]
  /** Topics it publishes retained messages to: `iot:RetainPublish` (and `iot:Publish`) on these only. */
  retains?: string[]
}

/** Options of {@link IotTopicRules}. */
export interface TopicRulesProps {
  /** The same array `startBroker({ rules })` takes. */
  rules: readonly RuleInput[]
  /** Handler per rule name (`rule <n>` for an unnamed rule), for the rules whose action is a function. */
  actions?: Record<string, RuleActionHandler>
  /** Environment of every action Lambda (`LIVETOPIC_RULE` and `LIVETOPIC_IOT_ENDPOINT` are set too). */
  environment?: Record<string, string>
  /** The IoT data endpoint, for action Lambdas that publish. */
  endpoint: string
  bundling?: BundlingOptions
}

/**
 * One `AWS::IoT::TopicRule` per rule (SQL version 2016-03-23), each SQL checked by the stand-in's
 * own parser first. Republish rules get a role allowed `iot:Publish` on their target only; rules
 * whose action is a function get the Lambda given in `actions`, or synth fails.
 */
export class IotTopicRules extends Construct {
  readonly rules: CfnTopicRule[] = []
  readonly actionFunctions: Record<string, NodejsFunction> = {}

  constructor(scope: Construct, id: string, props: TopicRulesProps) {
    super(scope, id)
    const checked = checkRules(props.rules) // the stand-in's parser: throws naming the rule
    const seen = new Set<string>()
    checked.forEach((rule, i) => {
      const cid = rule.label.replace(/[^A-Za-z0-9]/g, '') || `Rule${i + 1}`
      if (seen.has(cid)) throw new Error(`two rules are both named '${rule.label}': give each a distinct name`)
      seen.add(cid)
      const scopeOf = new Construct(this, cid)
      let action: CfnTopicRule.ActionProperty
      if (rule.republish) {
        const role = new Role(scopeOf, 'RepublishRole', { assumedBy: new ServicePrincipal('iot.amazonaws.com') })
        role.addToPolicy(new PolicyStatement({ actions: ['iot:Publish'], resources: [iotArn(this, 'topic', templateToPattern(rule.republish.topic))] }))
        action = { republish: { topic: rule.republish.topic, qos: rule.republish.qos ?? 0, roleArn: role.roleArn } }
      } else {
        const handler = props.actions?.[rule.label]
        if (!handler)
          throw new Error(
            `${rule.label} (${rule.sql}): its action is a JavaScript function, which cannot run in IoT's rules engine: ` +
              `give a handler file for it in actions['${rule.label}'] (deployed as a Lambda action)`,
          )
        const fn = this.actionFunction(scopeOf, rule.label, handler, props)
        action = { lambda: { functionArn: fn.functionArn } }
        this.actionFunctions[rule.label] = fn
      }
      const topicRule = new CfnTopicRule(scopeOf, 'Rule', {
        topicRulePayload: {
          sql: rule.sql,
          awsIotSqlVersion: IOT_SQL_VERSION,
          ruleDisabled: false,
          actions: [action],
          description: `livetopic rule '${rule.label}'`,
        },
      })
      if (!rule.republish) {
        this.actionFunctions[rule.label]!.addPermission('InvokeByTopicRule', {
          principal: new ServicePrincipal('iot.amazonaws.com'),
          action: 'lambda:InvokeFunction',
          sourceArn: topicRule.attrArn,
          sourceAccount: Stack.of(this).account,
        })
      }
      this.rules.push(topicRule)
    })
  }

  private actionFunction(scope: Construct, label: string, handler: RuleActionHandler, props: TopicRulesProps): NodejsFunction {
    const lambda = new BundledFunction(scope, 'Action', {
      entry: handler.entry,
      ...(handler.handler ? { handler: handler.handler } : {}),
      environment: { ...props.environment, LIVETOPIC_RULE: label, LIVETOPIC_IOT_ENDPOINT: props.endpoint },
      ...(props.bundling ? { bundling: props.bundling } : {}),
    })
    const publishes = [...(handler.publishes ?? []), ...(handler.retains ?? [])]
    if (publishes.length > 0)
      lambda.role.addToPolicy(new PolicyStatement({ actions: ['iot:Publish'], resources: publishes.map((t) => iotArn(this, 'topic', t)) }))
    if (handler.retains?.length)
      lambda.role.addToPolicy(new PolicyStatement({ actions: ['iot:RetainPublish'], resources: handler.retains.map((t) => iotArn(this, 'topic', t)) }))
    return lambda.function
  }
}
