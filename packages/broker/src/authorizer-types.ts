import type { IoTCustomAuthorizerEvent, IoTCustomAuthorizerResult, PolicyDocument as LambdaPolicyDocument } from 'aws-lambda'

/**
 * The event AWS IoT Core passes to a custom authorizer, exactly `@types/aws-lambda`'s
 * `IoTCustomAuthorizerEvent` (custom-auth-lambda): over WebSocket the stand-in sends
 * `protocols: ['tls', 'http', 'mqtt']`, `protocolData.http.queryString` as `?name=value...`.
 */
export type AuthorizerEvent = IoTCustomAuthorizerEvent

/** An IAM-style policy document (the JSON string form travels in {@link AuthorizerResponse.policyDocuments}). */
export interface PolicyDocument {
  /** Policy language version, `2012-10-17` (the stand-in does not check it). */
  Version?: string
  /** One statement or a list of them. */
  Statement: PolicyStatement[] | PolicyStatement
}

/** One policy statement; `Condition`, `NotAction` and `NotResource` are not supported by the stand-in. */
export interface PolicyStatement {
  /** Whether the statement grants or denies (a matching Deny wins). */
  Effect: 'Allow' | 'Deny'
  /** IoT actions, e.g. `iot:Connect`, `iot:Subscribe`, `iot:Receive`, `iot:Publish`. */
  Action: string | string[]
  /** ARNs of client ids (`client/…`), topics (`topic/…`) or filters (`topicfilter/…`); `*` allowed. */
  Resource: string | string[]
}

/**
 * What a custom authorizer returns. Every `IoTCustomAuthorizerResult` is one; the stand-in also
 * takes policy documents as JSON strings (as IoT does) and leaves the two durations optional.
 */
export interface AuthorizerResponse extends Omit<IoTCustomAuthorizerResult, 'policyDocuments' | 'disconnectAfterInSeconds' | 'refreshAfterInSeconds'> {
  /** False refuses the connection. */
  isAuthenticated: boolean
  /** `[a-zA-Z0-9]{1,128}` */
  principalId: string
  /** At most 10 documents (JSON strings or objects), each at most 2048 characters as JSON. */
  policyDocuments: (string | PolicyDocument | LambdaPolicyDocument)[]
  /** 300–86400 (default 86400): the connection is closed after this. */
  disconnectAfterInSeconds?: number
  /** 300–86400: the authorizer is called again then and the new policies apply; a failure disconnects. */
  refreshAfterInSeconds?: number
}

/**
 * A custom authorizer: IoT's Lambda as a local function. A Lambda handler typed
 * `(event: IoTCustomAuthorizerEvent) => Promise<IoTCustomAuthorizerResult>` fits as it is.
 */
export type Authorizer = (event: AuthorizerEvent) => AuthorizerResponse | Promise<AuthorizerResponse>
