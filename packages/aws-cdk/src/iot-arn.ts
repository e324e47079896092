import { ArnFormat, Stack } from 'aws-cdk-lib'
import type { IConstruct } from 'constructs'

/** The resource kinds of IoT policy ARNs: `client/<id>`, `topic/<topic>`, `topicfilter/<filter>`. */
export type IotResourceKind = 'client' | 'topic' | 'topicfilter'

/** `arn:<partition>:iot:<region>:<account>:<kind>/<name>` in the scope's stack. */
export function iotArn(scope: IConstruct, kind: IotResourceKind, name: string): string {
  return Stack.of(scope).formatArn({ service: 'iot', resource: kind, resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME })
}

/**
 * A republish topic template as an IAM resource pattern: each substitution (`${topic(2)}`,
 * `${clientid()}`) can be anything, so it becomes `*`; the literal levels stay.
 */
export function templateToPattern(template: string): string {
  return template.replace(/\$\{[^}]*\}/g, '*')
}
