import type { IoTCustomAuthorizerEvent, IoTCustomAuthorizerHandler, IoTCustomAuthorizerResult, PolicyDocument } from 'aws-lambda'
import { BROWSER_TOKEN, DEVICE_TOKEN } from './config.js'

/**
 * The example's custom authorizer, written as the Lambda function it would be on AWS IoT Core:
 * it receives IoT's request shape and answers with IoT's response shape (principal + policies).
 * The local broker calls it on every connect and enforces the policies it returns; `examples/aws`
 * deploys this same file as the Lambda behind `AWS::IoT::Authorizer` (export `handler`).
 */

// Region and account are wildcards: the same policy works on any account and on the local broker.
const arn = (resource: string): string => `arn:aws:iot:*:*:${resource}`

/** What a browser may do: read the broadcast topics, write only its own input topic. */
function browserPolicy(): PolicyDocument {
  const readable = ['rooms/lobby/messages', 'announcements', 'presence/roster', 'telemetry/*']
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: arn('client/*') },
      {
        Effect: 'Allow',
        Action: 'iot:Subscribe',
        Resource: [...readable.map((t) => arn(`topicfilter/${t}`)), arn('topicfilter/$aws/events/presence/*')],
      },
      {
        Effect: 'Allow',
        Action: 'iot:Receive',
        Resource: [...readable.map((t) => arn(`topic/${t}`)), arn('topic/$aws/events/presence/*')],
      },
      // devices are not people: their lifecycle events never reach the browser's "who is online"
      { Effect: 'Deny', Action: 'iot:Receive', Resource: arn('topic/$aws/events/presence/*/telemetry-*') },
      // `${iot:ClientId}` is substituted by the broker: each client writes to client/<its id> only
      { Effect: 'Allow', Action: 'iot:Publish', Resource: arn('topic/client/${iot:ClientId}') },
    ],
  }
}

/** What the telemetry device may do: publish telemetry, nothing else. */
function devicePolicy(): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: arn('client/telemetry-*') },
      { Effect: 'Allow', Action: 'iot:Publish', Resource: arn('topic/telemetry/*') },
    ],
  }
}

const denied: IoTCustomAuthorizerResult = {
  isAuthenticated: false,
  principalId: 'anonymous',
  policyDocuments: [],
  disconnectAfterInSeconds: 300,
  refreshAfterInSeconds: 300,
}

function decide(token: string | undefined): IoTCustomAuthorizerResult {
  const session = { disconnectAfterInSeconds: 3600, refreshAfterInSeconds: 3600 }
  if (token === BROWSER_TOKEN) return { isAuthenticated: true, principalId: 'browser', policyDocuments: [browserPolicy()], ...session }
  if (token === DEVICE_TOKEN) return { isAuthenticated: true, principalId: 'device', policyDocuments: [devicePolicy()], ...session }
  return denied
}

/** The authorizer handler. A real one would verify a session token (JWT) instead of comparing strings. */
export function exampleAuthorizer(event: IoTCustomAuthorizerEvent): Promise<IoTCustomAuthorizerResult> {
  return Promise.resolve(decide(event.token))
}

/**
 * The Lambda entry point (`index.handler` once bundled): the same function, typed as AWS's handler.
 * @alias of exampleAuthorizer: the CDK stack needs `handler`, the broker config and tests `exampleAuthorizer`
 */
export const handler: IoTCustomAuthorizerHandler = exampleAuthorizer
