import type { IotPolicyDocument } from '@livetopic/core/aws/authorizer'

// Region and account are wildcards: the same policy works on any account and on the local stand-in.
const arn = (resource: string): string => `arn:aws:iot:*:*:${resource}`

/** A policy-safe user id from a token's `sub` (no `*`, `?`, `/` or `$`), or undefined. */
export const userIdOf = (sub: string): string | undefined => (/^[A-Za-z0-9-]{1,64}$/.test(sub) ? sub : undefined)

/**
 * What a signed-in user may do: connect as `<userId>-<anything>`, publish only to their own outbox
 * (`chat/<their client id>`, which the rule forwards), read the room. Everything else is refused,
 * locally by the stand-in exactly as by AWS IoT Core.
 */
export function userPolicy(userId: string): IotPolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: arn(`client/${userId}-*`) },
      { Effect: 'Allow', Action: 'iot:Publish', Resource: arn('topic/chat/${iot:ClientId}') },
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: arn('topicfilter/rooms/lobby/messages') },
      { Effect: 'Allow', Action: 'iot:Receive', Resource: arn('topic/rooms/lobby/messages') },
    ],
  }
}
