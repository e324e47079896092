/**
 * Who a signed-in user is, in the forms IoT policies and topics need. Shared by the authorizer
 * (which derives them from the verified token) and the page (which derives the same from its
 * session), so both always agree.
 */

// Characters that are safe inside an IoT policy resource: no `*`/`?` (policy wildcards), no `/`, no `$`
const SAFE_SUB = /^[A-Za-z0-9-]{1,64}$/

/**
 * The user's id in client ids and topics, from the token's `sub`: the `sub` itself when it is
 * policy-safe (Cognito's UUIDs, the dev issuer's `dev-…`), else `h` + 32 hex digits of its SHA-256
 * (Auth0's `auth0|…`, Google's long numbers are fine, others may not be).
 */
export async function userIdOf(sub: string): Promise<string> {
  if (SAFE_SUB.test(sub)) return sub
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(sub)))
  return `h${[...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('')}`
}

/**
 * A client id of this user: `<userId>_<device>`. `_` never occurs in a user id, so the policy
 * resource `client/<userId>_*` cannot match another user's ids.
 */
export const clientIdOf = (userId: string, device: string): string => `${userId}_${device}`

/** IoT's principal id must be `[a-zA-Z0-9]{1,128}`: the user id without its dashes. */
export const principalIdOf = (userId: string): string => userId.replace(/-/g, '')

/** The user's private topic tree: only they may subscribe to and receive `users/<userId>/…`. */
export const privateTopicOf = (userId: string, rest = 'inbox'): string => `users/${userId}/${rest}`
