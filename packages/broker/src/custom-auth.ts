import type { IncomingMessage } from 'node:http'
import { buildAuthorizerEvent } from './authorizer-event.js'
import type { Authorizer, AuthorizerEvent } from './authorizer-types.js'
import { validateAuthorizerResponse, type ValidResponse } from './authorizer-response.js'
import type { BrokerContext } from './context.js'
import { verifyTokenSignature } from './token-signature.js'

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`authorizer did not answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** Calls an authorizer with a time limit; a throw or a timeout rejects with a secret-free reason. Returns the raw answer. */
export async function callAuthorizer(authorizer: Authorizer, event: AuthorizerEvent, timeoutMs: number): Promise<unknown> {
  try {
    return await withTimeout(
      Promise.resolve().then(() => authorizer(event)),
      timeoutMs,
    )
  } catch (error) {
    const message = error instanceof Error && error.message.startsWith('authorizer did not answer') ? error.message : 'authorizer threw'
    // eslint-disable-next-line preserve-caught-error -- the reason is secret-free on purpose: the authorizer's own error may quote the token
    throw new Error(message)
  }
}

/** Calls the authorizer with IoT's time limit and validates its answer; rejects with a secret-free reason. */
export async function invokeAuthorizer(ctx: BrokerContext, event: AuthorizerEvent): Promise<ValidResponse> {
  if (!ctx.authorizer) throw new Error('no authorizer')
  const response = await callAuthorizer(ctx.authorizer, event, ctx.authorizerTimeoutMs)
  return validateAuthorizerResponse(response, ctx.arnPrefix, ctx.allowShortDurations)
}

/** The custom-auth flow at CONNECT: token signature (when on), authorizer, `iot:Connect`. */
export async function authenticateConnection(
  ctx: BrokerContext,
  input: { req: IncomingMessage | undefined; username: string | undefined; password: Buffer | undefined; clientId: string; connectionId: string },
): Promise<{ response: ValidResponse; event: AuthorizerEvent }> {
  const signing = ctx.tokenSigning
  const { req, ...rest } = input
  const http = req ? { url: req.url ?? '/', headers: req.headers } : undefined
  const { event, signature } = buildAuthorizerEvent({ ...rest, http, tokenKeyName: ctx.tokenKeyName, signatureVerified: signing !== undefined })
  if (signing) {
    // IoT checks the signature itself and never invokes the authorizer when it fails
    if (event.token === undefined || signature === undefined) throw new Error('token or signature missing')
    if (!verifyTokenSignature(event.token, signature, signing.publicKeys)) throw new Error('token signature is invalid')
  }
  const response = await invokeAuthorizer(ctx, event)
  const decision = response.policy.evaluate('iot:Connect', input.clientId, input.clientId)
  if (!decision.allowed) {
    const resource = response.policy.resourceFor('iot:Connect', input.clientId)
    ctx.events.emit('denied', { clientId: input.clientId, principalId: response.principalId, action: 'iot:Connect', resource, reason: decision.reason })
    throw new Error(`iot:Connect denied on ${resource}: ${decision.reason}`)
  }
  return { response, event }
}
