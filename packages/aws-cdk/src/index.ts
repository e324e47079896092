/**
 * `LiveTopicBroker`: an AWS CDK construct that deploys the authorizer and topic rules to AWS IoT Core.
 * @module @livetopic/aws-cdk
 */
export { LiveTopicBroker } from './live-topic-broker.js'
export type { LiveTopicBrokerProps } from './live-topic-broker.js'
export { IotCustomAuthorizer, DEFAULT_AUTHORIZER_CONCURRENCY } from './iot-authorizer.js'
export type { AuthorizerProps } from './iot-authorizer.js'
export { IotTopicRules, IOT_SQL_VERSION } from './topic-rules.js'
export type { TopicRulesProps, RuleActionHandler } from './topic-rules.js'
export { IotIdentityPool } from './identity-pool.js'
export type { IdentityPoolAccess } from './identity-pool.js'
export { IotDataEndpoint } from './data-endpoint.js'
export { BundledFunction, NODE_RUNTIME, DEFAULT_LOG_RETENTION } from './bundled-function.js'
export type { BundledFunctionProps } from './bundled-function.js'
export { iotArn, templateToPattern } from './iot-arn.js'
export type { IotResourceKind } from './iot-arn.js'
