import type { Aedes, AedesPublishPacket } from 'aedes'
import { iotFilterMatches, isReservedTopic, topicLimitError } from '../iot-limits.js'
import type { BrokerLogger } from '../logger.js'
import { checkRules, parseExpression, type Expr, type SqlStatement } from '@livetopic/iot'
import { LambdaRunner, type LambdaRunnerOptions } from './lambda-runner.js'
import { applyStatement, evaluate, type EvalContext } from './sql-eval.js'
import type { RuleContext, TopicRule } from './topic-rule.js'

/** A rule checked at start-up and ready to run. */
export interface CompiledRule {
  label: string
  statement: SqlStatement
  /** The runner of a Lambda action: prepared before the broker listens, closed with it. */
  runner?: LambdaRunner
  run(message: Record<string, unknown> | Buffer, ctx: EvalContext, context: RuleContext): void | Promise<void>
}

/** Splits `a/${topic(2)}/b` into literal text and parsed expressions. */
function compileTemplate(template: string): (ctx: EvalContext) => string {
  const parts: (string | Expr)[] = []
  let rest = template
  for (let m = /\$\{([^}]*)\}/.exec(rest); m; m = /\$\{([^}]*)\}/.exec(rest)) {
    parts.push(rest.slice(0, m.index), parseExpression(m[1]!))
    rest = rest.slice(m.index + m[0].length)
  }
  parts.push(rest)
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- kept as is: a substitution is the value's String() form, as before
  return (ctx) => parts.map((p) => (typeof p === 'string' ? p : String(evaluate(p, ctx) ?? ''))).join('')
}

/** What Lambda actions need from the broker. */
export interface LambdaDeps {
  options: LambdaRunnerOptions
  /** Endpoint, region and credentials of an instance, known once the broker listens. */
  runtimeEnvironment: () => Record<string, string>
  logger: BrokerLogger
}

/** Parses every rule (`checkRules`, shared with the CDK construct); throws at start-up naming the rule. */
export function compileRules(rules: TopicRule[], lambda: LambdaDeps): CompiledRule[] {
  const checked = checkRules(rules)
  return rules.map((rule, i) => {
    const { label, statement, republish, lambda: action } = checked[i]!
    if ('action' in rule) return { label, statement, run: (message, _ctx, context) => rule.action(message, context) }
    if (action) {
      const runner = new LambdaRunner({
        ...lambda.options,
        name: label,
        entry: action.entry,
        ...(action.handler ? { handler: action.handler } : {}),
        ...(action.environment ? { environment: action.environment } : {}),
        runtimeEnvironment: lambda.runtimeEnvironment,
        logger: lambda.logger,
      })
      const run = (message: Record<string, unknown> | Buffer): void => {
        // IoT hands a Lambda JSON only: a binary payload needs encode(*, 'base64'), outside the stand-in's subset
        if (Buffer.isBuffer(message)) lambda.logger.warn(`${label}: a non-JSON payload cannot be sent to a Lambda action`)
        else void runner.invoke(message)
      }
      return { label, statement, runner, run }
    }
    if (!republish) throw new Error(`${label} (${rule.sql}): a rule needs republish, lambda or action`)
    const topicOf = compileTemplate(republish.topic)
    return { label, statement, run: (message, ctx, context) => context.republish(topicOf(ctx), message, { qos: republish.qos ?? 0 }) }
  })
}

// How many rule hops a message may make: stops a rule that republishes into its own FROM
const MAX_HOPS = 8

/** Subscribes each rule to its FROM filter inside aedes and runs it on matching messages. */
export function startRules(aedes: Aedes, rules: CompiledRule[], logger: BrokerLogger): void {
  const hops = new WeakMap<Buffer, number>()
  const publish = (topic: string, payload: unknown, options: { qos?: 0 | 1; retain?: boolean } = {}, depth: number): Promise<void> => {
    const problem = /[+#]/.test(topic) ? 'contains a wildcard' : isReservedTopic(topic) ? 'is reserved' : topicLimitError(topic)
    if (problem || topic === '') return Promise.reject(new Error(`republish topic '${topic}' ${problem ?? 'is empty'}`))
    const bytes = Buffer.isBuffer(payload) ? Buffer.from(payload) : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload))
    hops.set(bytes, depth)
    return new Promise((resolve, reject) =>
      aedes.publish({ cmd: 'publish', topic, payload: bytes, qos: options.qos ?? 0, retain: options.retain ?? false, dup: false }, (e) =>
        e ? reject(e) : resolve(),
      ),
    )
  }
  for (const rule of rules) {
    const filter = rule.statement.from
    const deliver = (packet: AedesPublishPacket, done: () => void): void => {
      done()
      if (!iotFilterMatches(filter, packet.topic)) return
      const raw = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload)
      const depth = hops.get(raw) ?? 0
      if (depth >= MAX_HOPS) {
        logger.warn(`${rule.label}: dropped a message that already went through ${MAX_HOPS} rules (loop?)`)
        return
      }
      let payload: unknown
      try {
        payload = JSON.parse(raw.toString('utf8'))
      } catch {
        payload = undefined
      }
      const clientId = (packet as AedesPublishPacket & { clientId?: string }).clientId ?? ''
      const ctx: EvalContext = { payload, topic: packet.topic, clientId, timestamp: Date.now() }
      const context: RuleContext = {
        topic: packet.topic,
        clientId,
        timestamp: ctx.timestamp,
        payload: raw,
        republish: (t, p, o) => publish(t, p, o, depth + 1),
      }
      try {
        const selected = applyStatement(rule.statement, ctx, raw)
        if (selected === undefined) return
        Promise.resolve(rule.run(selected, ctx, context)).catch((e: Error) => logger.warn(`${rule.label} failed: ${e.message}`))
      } catch (e) {
        logger.warn(`${rule.label} failed: ${(e as Error).message}`)
      }
    }
    aedes.subscribe(filter, deliver, () => {})
  }
}
