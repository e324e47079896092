/**
 * A Lambda (Node): `jwtAuthorizer`, an IoT custom authorizer that verifies JWTs and returns the policy.
 * @module @livetopic/core/aws/authorizer
 */
// @livetopic/core/aws/authorizer: a custom authorizer for AWS IoT Core that verifies JWTs, for a
// Lambda (Node). It imports aws-jwt-verify (an optional peer dependency) and nothing of the
// client, the broker or the AWS SDK, so the Lambda bundle stays small.
export { jwtAuthorizer } from './jwt-authorizer.js'
export type { IotAuthorizerHandler, JwtAuthorizerOptions, JwtAuthorizerRefusal, JwtGrant } from './jwt-authorizer.js'
export type { JwtClaims, JwtVerifyOptions } from './jwt-verifier.js'
export type { IotAuthorizerEvent, IotAuthorizerResult, IotPolicyDocument, IotPolicyStatement } from './iot-authorizer-types.js'
