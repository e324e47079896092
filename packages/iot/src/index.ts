/**
 * AWS IoT Core's documented quotas, topic limits and rule SQL checks, shared by core, the stand-in and the construct.
 * @module @livetopic/iot
 */
// @livetopic/iot: AWS IoT Core's documented quotas, topic limits and rule checks, with no
// dependencies, shared by @livetopic/core, the local stand-in and the CDK construct.
// Token-signing key checks need node:crypto: they are in @livetopic/iot/signing-keys.
export * from './quotas.js'
export { iotFilterMatches, isReservedTopic, topicLimitError } from './topic-limits.js'
export { parseExpression, parseSql } from './rules/sql-parser.js'
export type { Expr, SelectItem, SqlStatement } from './rules/sql-ast.js'
export { checkRules, templateExpressions } from './rules/check-rules.js'
export type { CheckedRule } from './rules/check-rules.js'
export type { LambdaAction, RepublishTarget, RuleDefinition, RuleInput } from './rules/rule-definition.js'
