/**
 * AWS IoT Core in the browser: custom-authorizer and SigV4 URLs, IoT's limits, presence from lifecycle events.
 * @module @livetopic/core/aws
 */
// @livetopic/core/aws: AWS IoT Core helpers. Nothing here opens a socket or touches `window` on
// import; iotSigV4 signs with WebCrypto (`crypto.subtle`), no extra dependency.
export { iotCustomAuthorizer } from './custom-authorizer.js'
export type { CustomAuthorizerOptions } from './custom-authorizer.js'
export { iotCustomAuthorizerUsername } from './custom-authorizer-username.js'
export type { CustomAuthorizerUsernameOptions } from './custom-authorizer-username.js'
export { iotSigV4 } from './sigv4.js'
export type { AwsCredentialProvider, AwsCredentials, SigV4Options } from './sigv4.js'
export { awsIotProfile, createAwsIotProfile } from './iot-profile.js'
export type { AwsIotLimits } from './iot-profile.js'
export { isPublishableReservedTopic, isSubscribableReservedFilter } from './reserved-topics.js'
export { presence } from './presence.js'
export type { PresenceOptions, PresenceState } from './presence.js'
export type { PresenceMember } from './presence-tracker.js'
export { PRESENCE_FILTER } from './presence-payloads.js'
export type { Fresh } from './value.js'
