import { checkRules, type CheckedRule, type LambdaAction, type RuleInput } from '@livetopic/iot'
import { RemovalPolicy, Stack } from 'aws-cdk-lib'
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import { CfnTopicRule } from 'aws-cdk-lib/aws-iot'
import type { BundlingOptions, NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs'
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'
import { BundledFunction } from './bundled-function.js'
import { iotArn, templateToPattern } from './iot-arn.js'

/** IoT's SQL version for every rule (the stand-in's parser follows it). */
export const IOT_SQL_VERSION = '2016-03-23'

/**
 * A Lambda that does on AWS what a stand-in rule's in-process JavaScript `action` does: the same
 * shape as a `lambda` rule's action, given separately because the rule itself holds a function.
 */
export type RuleActionHandler = Omit<LambdaAction, 'environment'>

/** Options of {@link IotTopicRules}. */
export interface TopicRulesProps {
  /** The same array `startBroker({ rules })` takes. */
  rules: readonly RuleInput[]
  /** Handler per rule name (`rule <n>` for an unnamed rule), for the rules whose action is an in-process function. */
  actions?: Record<string, RuleActionHandler>
  /** Environment of every rule Lambda (`LIVETOPIC_RULE` and `LIVETOPIC_IOT_ENDPOINT` are set too). */
  environment?: Record<string, string>
  /** The IoT data endpoint, for rule Lambdas that publish. */
  endpoint: string
  /** How long the rule Lambdas' logs and the rules' error log are kept; default one week / two weeks. */
  logRetention?: {
    /** For the rule Lambdas' logs; default one week. */
    functions?: RetentionDays
    /** For the rules' error log; default two weeks. */
    errors?: RetentionDays
  }
  /** esbuild options for the rule Lambdas. */
  bundling?: BundlingOptions
}

/**
 * One `AWS::IoT::TopicRule` per rule (SQL version 2016-03-23), each SQL checked by the stand-in's
 * own parser first. Republish rules get a role allowed `iot:Publish` on their target only; `lambda`
 * rules (and in-process `action` rules given a file in `actions`) get their own bundled Lambda,
 * allowed to publish only where the rule says. Every rule sends its failures (a Lambda that cannot
 * be invoked, a republish refused) to one CloudWatch Logs group, its error action.
 */
export class IotTopicRules extends Construct {
  /** One `AWS::IoT::TopicRule` per rule, in the order given. */
  readonly rules: CfnTopicRule[] = []
  /** Each Lambda rule's function, by rule name: grant it what its handler uses (a table, a queue). */
  readonly functions: Record<string, NodejsFunction> = {}
  /** Where IoT logs a rule action that failed (the rules' error action). */
  readonly errorLog: LogGroup
  readonly #props: TopicRulesProps

  /**
   * Adds the rules; throws, naming the rule, for a rule the stand-in would refuse, two rules of one
   * name, or a function action without a handler file in `actions`.
   */
  constructor(scope: Construct, id: string, props: TopicRulesProps) {
    super(scope, id)
    this.#props = props
    const checked = checkRules(props.rules) // the stand-in's parser: throws naming the rule
    this.errorLog = new LogGroup(this, 'Errors', {
      retention: props.logRetention?.errors ?? RetentionDays.TWO_WEEKS,
      removalPolicy: RemovalPolicy.DESTROY,
    })
    const errorAction = checked.length > 0 ? this.#errorAction() : undefined
    const seen = new Set<string>()
    checked.forEach((rule, i) => {
      const cid = rule.label.replace(/[^A-Za-z0-9]/g, '') || `Rule${i + 1}`
      if (seen.has(cid)) throw new Error(`two rules are both named '${rule.label}': give each a distinct name`)
      seen.add(cid)
      const scopeOf = new Construct(this, cid)
      const fn = rule.republish ? undefined : this.#ruleFunction(scopeOf, rule)
      const action: CfnTopicRule.ActionProperty = fn ? { lambda: { functionArn: fn.functionArn } } : this.#republish(scopeOf, rule)
      const topicRule = new CfnTopicRule(scopeOf, 'Rule', {
        topicRulePayload: {
          sql: rule.sql,
          awsIotSqlVersion: IOT_SQL_VERSION,
          ruleDisabled: false,
          actions: [action],
          errorAction,
          description: `livetopic rule '${rule.label}'`,
        },
      })
      if (fn) {
        fn.addPermission('InvokeByTopicRule', {
          principal: new ServicePrincipal('iot.amazonaws.com'),
          action: 'lambda:InvokeFunction',
          sourceArn: topicRule.attrArn,
          sourceAccount: Stack.of(this).account,
        })
        this.functions[rule.label] = fn
      }
      this.rules.push(topicRule)
    })
  }

  /** IoT writes each failed action (rule, topic, error, the message) as one log event. */
  #errorAction(): CfnTopicRule.ActionProperty {
    const role = new Role(this, 'ErrorRole', { assumedBy: new ServicePrincipal('iot.amazonaws.com') })
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        resources: [this.errorLog.logGroupArn],
      }),
    )
    return { cloudwatchLogs: { logGroupName: this.errorLog.logGroupName, roleArn: role.roleArn } }
  }

  #republish(scope: Construct, rule: CheckedRule): CfnTopicRule.ActionProperty {
    const target = rule.republish!
    const role = new Role(scope, 'RepublishRole', { assumedBy: new ServicePrincipal('iot.amazonaws.com') })
    role.addToPolicy(new PolicyStatement({ actions: ['iot:Publish'], resources: [iotArn(this, 'topic', templateToPattern(target.topic))] }))
    return { republish: { topic: target.topic, qos: target.qos ?? 0, roleArn: role.roleArn } }
  }

  #ruleFunction(scope: Construct, rule: CheckedRule): NodejsFunction {
    const handler: LambdaAction | undefined = rule.lambda ?? this.#props.actions?.[rule.label]
    if (!handler)
      throw new Error(
        `${rule.label} (${rule.sql}): its action is a JavaScript function, which cannot run in IoT's rules engine: ` +
          `make it a \`lambda\` rule, or give a handler file for it in actions['${rule.label}'] (deployed as a Lambda action)`,
      )
    const props = this.#props
    const lambda = new BundledFunction(scope, 'Action', {
      entry: handler.entry,
      ...(handler.handler ? { handler: handler.handler } : {}),
      environment: { ...props.environment, ...handler.environment, LIVETOPIC_RULE: rule.label, LIVETOPIC_IOT_ENDPOINT: props.endpoint },
      ...(props.logRetention?.functions ? { logRetention: props.logRetention.functions } : {}),
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
