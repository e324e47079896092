import { topicLimitError } from '../topic-limits.js'
import type { SqlStatement } from './sql-ast.js'
import { parseExpression, parseSql } from './sql-parser.js'
import type { LambdaAction, RepublishTarget, RuleInput } from './rule-definition.js'

/** One rule as the stand-in's own parser accepted it: what a deployment needs to know of it. */
export interface CheckedRule {
  /** The rule's `name`, or `rule <n>`. */
  label: string
  /** The rule's IoT SQL, as given. */
  sql: string
  /** That SQL, parsed. */
  statement: SqlStatement
  /** The FROM topic filter. */
  from: string
  /** The republish target, for a republish rule. */
  republish?: RepublishTarget
  /** The Lambda action, for a Lambda rule. */
  lambda?: LambdaAction
  /** True for a rule whose action is an in-process function (the stand-in only: it cannot deploy). */
  inProcess?: true
}

/** The `${...}` expressions of a republish template, parsed (throws on one the parser refuses). */
export function templateExpressions(template: string): string[] {
  const found: string[] = []
  for (const m of template.matchAll(/\$\{([^}]*)\}/g)) {
    parseExpression(m[1]!)
    found.push(m[1]!)
  }
  return found
}

function checkOne(rule: RuleInput, label: string): CheckedRule {
  const statement = parseSql(rule.sql)
  if (topicLimitError(statement.from)) throw new Error(`FROM filter '${statement.from}' breaks IoT's topic limits`)
  const base = { label, sql: rule.sql, statement, from: statement.from }
  if ('action' in rule) {
    if (typeof rule.action !== 'function') throw new Error('action must be a function')
    return { ...base, inProcess: true }
  }
  if ('lambda' in rule) {
    if (!rule.lambda || typeof rule.lambda.entry !== 'string' || rule.lambda.entry === '') throw new Error('a Lambda action needs an `entry` file')
    return { ...base, lambda: rule.lambda }
  }
  const target = typeof rule.republish === 'string' ? { topic: rule.republish } : rule.republish
  if (!target || typeof target.topic !== 'string') throw new Error('a rule needs `republish`, `lambda` or `action`')
  templateExpressions(target.topic)
  return { ...base, republish: target }
}

/**
 * Checks rules exactly as the stand-in does at start-up (its SQL parser, IoT's topic limits,
 * republish templates) and throws an error naming the rule; nothing that fails here runs
 * locally, so nothing that fails here should deploy.
 */
export function checkRules(rules: readonly RuleInput[]): CheckedRule[] {
  return rules.map((rule, i) => {
    const label = rule.name ?? `rule ${i + 1}`
    try {
      return checkOne(rule, label)
    } catch (error) {
      throw new Error(`${label} (${rule.sql}): ${(error as Error).message}`, { cause: error })
    }
  })
}
