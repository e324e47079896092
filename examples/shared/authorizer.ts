import { createHash, timingSafeEqual } from 'node:crypto'
import {
  jwtAuthorizer,
  type IotAuthorizerEvent,
  type IotAuthorizerHandler,
  type IotAuthorizerResult,
  type IotPolicyDocument,
} from '@livetopic/core/aws/authorizer'
import { clientIdOf, principalIdOf, privateTopicOf, userIdOf } from './identity.js'

/**
 * The example's custom authorizer, written as the Lambda function it is on AWS IoT Core: a signed-in
 * user's JWT is verified (Cognito on AWS, the stand-in's development issuer locally: the same code)
 * and the policy lets them connect, publish and read only as themselves. The local broker calls it
 * on every connect; `examples/aws` deploys this file as the Lambda behind `AWS::IoT::Authorizer`.
 */

// Region and account are wildcards: the same policy works on any account and on the local broker.
const arn = (resource: string): string => `arn:aws:iot:*:*:${resource}`

/** Topics every signed-in user may read (the room, announcements, the roster and presence states, telemetry). */
const SHARED_READ = ['rooms/lobby/messages', 'announcements', 'presence/roster', 'presence/state/*', 'telemetry/*']

/** What a signed-in user may do: connect as their own client ids, write their input topic, read shared and own topics. */
function userPolicy(userId: string): IotPolicyDocument {
  const own = privateTopicOf(userId, '*')
  return {
    Version: '2012-10-17',
    Statement: [
      // `_` never occurs in a user id: `<userId>_*` cannot match another user's client ids
      { Effect: 'Allow', Action: 'iot:Connect', Resource: arn(`client/${clientIdOf(userId, '*')}`) },
      // `${iot:ClientId}` is substituted by IoT: each connection writes only to client/<its id>,
      // which the chat rule republishes to the room with that client id as the author
      // and its presence state (iotPresence) to presence/state/<its id>: nobody announces for another
      { Effect: 'Allow', Action: 'iot:Publish', Resource: [arn('topic/client/${iot:ClientId}'), arn('topic/presence/state/${iot:ClientId}')] },
      {
        Effect: 'Allow',
        Action: 'iot:Subscribe',
        Resource: [...SHARED_READ, own, '$aws/events/presence/*'].map((t) => arn(`topicfilter/${t}`)),
      },
      { Effect: 'Allow', Action: 'iot:Receive', Resource: [...SHARED_READ, own, '$aws/events/presence/*'].map((t) => arn(`topic/${t}`)) },
      // devices are not people: their lifecycle events never reach the browser's "who is online"
      { Effect: 'Deny', Action: 'iot:Receive', Resource: arn('topic/$aws/events/presence/*/telemetry-*') },
    ],
  }
}

/** What the telemetry device may do: publish telemetry, nothing else. */
function devicePolicy(): IotPolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: arn('client/telemetry-*') },
      { Effect: 'Allow', Action: 'iot:Publish', Resource: arn('topic/telemetry/*') },
    ],
  }
}

/** Options of {@link createExampleAuthorizer}. */
export interface ExampleAuthorizerOptions {
  /** Cognito: `https://cognito-idp.<region>.amazonaws.com/<poolId>`; locally the stand-in's `<httpUrl>/dev-auth`. */
  issuer: string
  /** Cognito: the app client id; locally `livetopic-dev`. */
  audience: string
  /** Which Cognito token the page sends; the example uses `id`. */
  tokenUse?: 'id' | 'access'
  /**
   * The telemetry device's secret (a machine, not a user: it has no sign-in). Without it no device
   * is admitted. Compared in constant time; never logged.
   */
  deviceToken?: string
  /** Shortest session, for tests against the stand-in; default IoT's 300 s. */
  minSessionSeconds?: number
}

const DEVICE_SESSION_SECONDS = 3600

const digest = (text: string): Buffer => createHash('sha256').update(text).digest()

/** Constant-time check of the device secret (equal-length digests: the length leaks nothing either). */
function isDevice(event: IotAuthorizerEvent, expected: Buffer | undefined): boolean {
  const token = event?.token
  return expected !== undefined && typeof token === 'string' && timingSafeEqual(digest(token), expected)
}

/** The example's authorizer: the device by its secret, everyone else by a verified JWT. */
export function createExampleAuthorizer(options: ExampleAuthorizerOptions): IotAuthorizerHandler {
  const device = options.deviceToken ? digest(options.deviceToken) : undefined
  const users = jwtAuthorizer({
    issuer: options.issuer,
    audience: options.audience,
    ...(options.tokenUse ? { tokenUse: options.tokenUse } : {}),
    ...(options.minSessionSeconds !== undefined ? { minSessionSeconds: options.minSessionSeconds } : {}),
    async policy(claims) {
      if (typeof claims.sub !== 'string' || claims.sub === '') return null
      const userId = await userIdOf(claims.sub)
      return { principalId: principalIdOf(userId), policyDocuments: [userPolicy(userId)] }
    },
  })
  return async (event) => {
    if (isDevice(event, device)) {
      const session = { disconnectAfterInSeconds: DEVICE_SESSION_SECONDS, refreshAfterInSeconds: DEVICE_SESSION_SECONDS }
      return { isAuthenticated: true, principalId: 'device', policyDocuments: [devicePolicy()], ...session }
    }
    return users(event)
  }
}

/** The names of the Lambda's environment variables (set by the CDK stack). */
const AUTHORIZER_ENV = {
  issuer: 'LIVETOPIC_JWT_ISSUER',
  audience: 'LIVETOPIC_JWT_AUDIENCE',
  tokenUse: 'LIVETOPIC_JWT_TOKEN_USE',
  deviceToken: 'LIVETOPIC_DEVICE_TOKEN',
} as const

/** Reads the authorizer's configuration from the environment; undefined when issuer or audience is missing. */
function exampleAuthorizerFromEnv(env: Record<string, string | undefined> = process.env): IotAuthorizerHandler | undefined {
  const issuer = env[AUTHORIZER_ENV.issuer]
  const audience = env[AUTHORIZER_ENV.audience]
  if (!issuer || !audience) return undefined
  const tokenUse = env[AUTHORIZER_ENV.tokenUse]
  if (tokenUse !== undefined && tokenUse !== 'id' && tokenUse !== 'access') return undefined
  const deviceToken = env[AUTHORIZER_ENV.deviceToken]
  return createExampleAuthorizer({ issuer, audience, ...(tokenUse ? { tokenUse } : {}), ...(deviceToken ? { deviceToken } : {}) })
}

const misconfigured: IotAuthorizerResult = {
  isAuthenticated: false,
  principalId: 'refused',
  policyDocuments: [],
  disconnectAfterInSeconds: 300,
  refreshAfterInSeconds: 300,
}

// made on the first call, then kept for the life of the Lambda instance (its JWKS cache with it)
let fromEnv: IotAuthorizerHandler | undefined
let warned = false

/**
 * The Lambda entry point (`index.handler` once bundled), configured by `LIVETOPIC_JWT_ISSUER`,
 * `LIVETOPIC_JWT_AUDIENCE`, `LIVETOPIC_JWT_TOKEN_USE` and optionally `LIVETOPIC_DEVICE_TOKEN`.
 * Without issuer and audience it refuses everyone (and says so once per instance).
 */
export const handler: IotAuthorizerHandler = async (event) => {
  fromEnv ??= exampleAuthorizerFromEnv()
  if (fromEnv) return fromEnv(event)
  if (!warned)
    console.warn(
      `livetopic authorizer: ${AUTHORIZER_ENV.issuer} and ${AUTHORIZER_ENV.audience} must be set (and ${AUTHORIZER_ENV.tokenUse} id|access): refusing`,
    )
  warned = true
  return { ...misconfigured }
}
