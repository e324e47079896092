import type { AuthorizerResponse, PolicyDocument } from './authorizer-types.js'
import { Policy } from './policy.js'

/** A response that passed IoT's checks, with its policies compiled. */
export interface ValidResponse {
  principalId: string
  policy: Policy
  disconnectAfterInSeconds: number
  refreshAfterInSeconds?: number
}

/** Checks a custom authorizer's response as IoT Core does; throws an Error saying what is wrong (never echoing secrets). */
export function validateAuthorizerResponse(value: unknown, arnPrefix: string, allowShortDurations: boolean): ValidResponse {
  if (value === null || typeof value !== 'object') throw new Error('authorizer response is not an object')
  const r = value as Partial<AuthorizerResponse>
  if (typeof r.isAuthenticated !== 'boolean') throw new Error('isAuthenticated must be a boolean')
  if (!r.isAuthenticated) throw new Error('authorizer answered isAuthenticated: false')
  if (typeof r.principalId !== 'string' || !/^[a-zA-Z0-9]{1,128}$/.test(r.principalId)) throw new Error('principalId must match [a-zA-Z0-9]{1,128}')
  if (!Array.isArray(r.policyDocuments) || r.policyDocuments.length === 0 || r.policyDocuments.length > 10)
    throw new Error('policyDocuments must hold 1 to 10 documents')
  for (const [i, doc] of r.policyDocuments.entries()) {
    const text = typeof doc === 'string' ? doc : JSON.stringify(doc)
    if (text.length > 2048) throw new Error(`policy ${i + 1} is longer than 2048 characters`)
  }
  const seconds = (name: 'disconnectAfterInSeconds' | 'refreshAfterInSeconds'): number | undefined => {
    const v = r[name]
    if (v === undefined) return undefined
    const min = allowShortDurations ? 0 : 300
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v < min || v > 86400) {
      throw new Error(`${name} must be between 300 and 86400`)
    }
    if (!allowShortDurations && !Number.isInteger(v)) throw new Error(`${name} must be an integer`)
    return v
  }
  const disconnect = seconds('disconnectAfterInSeconds') ?? 86400
  const refresh = seconds('refreshAfterInSeconds')
  let policy: Policy
  try {
    // Lambda's PolicyDocument type is wider (Condition, NotAction...): the Policy parser refuses what it cannot enforce
    policy = new Policy(r.policyDocuments as (string | PolicyDocument)[], arnPrefix)
  } catch (error) {
    // eslint-disable-next-line preserve-caught-error -- no cause: the policy error may carry the authorizer's policy text, which can hold secrets; its message is kept
    throw new Error(`invalid policy document: ${(error as Error).message}`)
  }
  return { principalId: r.principalId, policy, disconnectAfterInSeconds: disconnect, ...(refresh !== undefined ? { refreshAfterInSeconds: refresh } : {}) }
}
