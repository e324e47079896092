import { randomUUID } from 'node:crypto'
import { buildAuthorizerEvent } from './authorizer-event.js'
import type { Authorizer } from './authorizer-types.js'
import { validateAuthorizerResponse } from './authorizer-response.js'
import { callAuthorizer } from './custom-auth.js'
import type { IotAction } from './policy.js'
import { checkTokenSigningKeys } from '@livetopic/iot/signing-keys'
import { verifyTokenSignature } from './token-signature.js'

/** Options of {@link testAuthorizer}: the stand-in's `aws iot test-invoke-authorizer`. */
export interface TestAuthorizerOptions {
  /** The authorizer under test. */
  authorizer: Authorizer
  /** Name sent as `x-amz-customauthorizer-name`; default `TestAuthorizer`. */
  authorizerName?: string
  /** Token sent in the query string under `tokenKeyName`; none when absent. */
  token?: string
  /** Query key of the token (IoT's `tokenKeyName`); default `token`. */
  tokenKeyName?: string
  /** Base64 RSA-SHA256 signature of the token; checked when `publicKeys` are given, as IoT does. */
  tokenSignature?: string
  /** Token-signing public keys (PEM): with them, a missing or wrong signature fails before the authorizer runs. */
  publicKeys?: string[]
  /** MQTT client id; when given, `iot:Connect` is checked for it. */
  clientId?: string
  /** MQTT username of the CONNECT. */
  username?: string
  /** Topics to check `iot:Publish` on. */
  publish?: string[]
  /** Topic filters to check `iot:Subscribe` on. */
  subscribe?: string[]
  /** Topics to check `iot:Receive` on. */
  receive?: string[]
  /** Region in the ARNs checked; default `us-east-1`. */
  region?: string
  /** Account id in the ARNs checked; default `123456789012`. */
  accountId?: string
  /** IoT's limit is 5000 ms; lower only in tests. */
  timeoutMs?: number
}

/** One checked action: allowed or not, and the statement that decided it. */
export interface ActionDecision {
  /** The IoT action checked. */
  action: IotAction
  /** Client id, topic or filter. */
  name: string
  /** The ARN IoT checks. */
  resource: string
  /** Whether the policies allow it. */
  allowed: boolean
  /** `policy 1, statement 2 (Allow)`, or why it was denied. */
  reason: string
}

/** What {@link testAuthorizer} found. `ok` is false when the response is invalid or any action is denied. */
export interface TestAuthorizerResult {
  /** True when the response is valid and every listed action is allowed. */
  ok: boolean
  /** The authorizer's answer as it came back (absent when it threw or timed out). */
  response?: unknown
  /** Why the response is not accepted (threw, timed out, invalid shape, not authenticated, bad signature). */
  invalid?: string
  /** The principal the authorizer returned, when valid. */
  principalId?: string
  /** When IoT would close the connection (seconds), when valid. */
  disconnectAfterInSeconds?: number
  /** When IoT would call the authorizer again (seconds), when set. */
  refreshAfterInSeconds?: number
  /** One per listed action, in the order connect, publish, subscribe, receive. */
  decisions: ActionDecision[]
}

/**
 * Invokes an authorizer with the event IoT would send for a WebSocket connection, validates the
 * answer as IoT does, then checks each listed action with the broker's own policy engine.
 */
export async function testAuthorizer(options: TestAuthorizerOptions): Promise<TestAuthorizerResult> {
  const keyName = options.tokenKeyName ?? 'token'
  const query = new URLSearchParams({ 'x-amz-customauthorizer-name': options.authorizerName ?? 'TestAuthorizer' })
  if (options.token !== undefined) query.set(keyName, options.token)
  if (options.tokenSignature !== undefined) query.set('x-amz-customauthorizer-signature', options.tokenSignature)
  const clientId = options.clientId ?? `test-${randomUUID().slice(0, 8)}`
  const signing = options.publicKeys !== undefined
  const { event, signature } = buildAuthorizerEvent({
    http: { url: `/mqtt?${query}`, headers: { host: 'localhost', 'sec-websocket-protocol': 'mqtt' } },
    username: options.username,
    password: undefined,
    clientId,
    connectionId: randomUUID(),
    tokenKeyName: keyName,
    signatureVerified: signing,
  })
  if (signing) {
    checkTokenSigningKeys(options.publicKeys!)
    if (event.token === undefined || signature === undefined) return { ok: false, invalid: 'token or signature missing', decisions: [] }
    if (!verifyTokenSignature(event.token, signature, options.publicKeys!)) return { ok: false, invalid: 'token signature is invalid', decisions: [] }
  }
  let response: unknown
  try {
    response = await callAuthorizer(options.authorizer, event, options.timeoutMs ?? 5000)
  } catch (error) {
    return { ok: false, invalid: (error as Error).message, decisions: [] }
  }
  const arnPrefix = `arn:aws:iot:${options.region ?? 'us-east-1'}:${options.accountId ?? '123456789012'}:`
  let valid: ReturnType<typeof validateAuthorizerResponse>
  try {
    valid = validateAuthorizerResponse(response, arnPrefix, false)
  } catch (error) {
    return { ok: false, response, invalid: (error as Error).message, decisions: [] }
  }
  const wanted: [IotAction, string][] = [
    ...(options.clientId !== undefined ? [['iot:Connect', clientId] as [IotAction, string]] : []),
    ...(options.publish ?? []).map((t): [IotAction, string] => ['iot:Publish', t]),
    ...(options.subscribe ?? []).map((f): [IotAction, string] => ['iot:Subscribe', f]),
    ...(options.receive ?? []).map((t): [IotAction, string] => ['iot:Receive', t]),
  ]
  const decisions = wanted.map(([action, name]): ActionDecision => ({
    action,
    name,
    resource: valid.policy.resourceFor(action, name),
    ...valid.policy.evaluate(action, name, clientId),
  }))
  return {
    ok: decisions.every((d) => d.allowed),
    response,
    principalId: valid.principalId,
    disconnectAfterInSeconds: valid.disconnectAfterInSeconds,
    ...(valid.refreshAfterInSeconds !== undefined ? { refreshAfterInSeconds: valid.refreshAfterInSeconds } : {}),
    decisions,
  }
}
