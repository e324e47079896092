import { compileRules } from './rule-engine.js'
import type { RepublishTarget, TopicRule } from './topic-rule.js'

/** One rule as the stand-in's own parser accepted it: what a deployment needs to know of it. */
export interface CheckedRule {
  /** The rule's `name`, or `rule <n>`. */
  label: string
  sql: string
  /** The FROM topic filter. */
  from: string
  /** The republish target; absent for a rule whose action is a function. */
  republish?: RepublishTarget
}

/**
 * Checks rules exactly as {@link startBroker} does (the stand-in's SQL parser, IoT's topic limits,
 * republish templates) and throws the same error naming the rule; nothing that fails here runs
 * locally, so nothing that fails here should deploy.
 */
export function checkRules(rules: readonly TopicRule[]): CheckedRule[] {
  const compiled = compileRules([...rules])
  return rules.map((rule, i) => {
    const label = compiled[i]!.label
    const from = compiled[i]!.statement.from
    if ('action' in rule) return { label, sql: rule.sql, from }
    const republish = typeof rule.republish === 'string' ? { topic: rule.republish } : rule.republish
    return { label, sql: rule.sql, from, republish }
  })
}
