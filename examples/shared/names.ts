/** Display names in client ids: `<userId>_<label>-<device>` (identity.ts, auth-session.ts). */

/** The label of a display name inside a client id: its letters and digits, at most 20, or `user`. */
export function nameLabelOf(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 20) || 'user'
  )
}

/**
 * The display name inside a client id: the label of `<userId>_<label>-<device>`; the user id of a
 * `<userId>_<device>` without a label; the name of an older `Name-suffix` id.
 */
export function nameOf(clientId: string): string {
  const underscore = clientId.indexOf('_')
  const rest = underscore >= 0 ? clientId.slice(underscore + 1) : clientId
  const dash = rest.lastIndexOf('-')
  if (dash > 0) return rest.slice(0, dash)
  return underscore > 0 ? clientId.slice(0, underscore) : rest
}

/** The user of a `<userId>_…` client id (`_` never occurs in a user id); the whole id otherwise. */
export function userOf(clientId: string): string {
  const cut = clientId.indexOf('_')
  return cut === -1 ? clientId : clientId.slice(0, cut)
}

/** One entry per user, in the order of their first connection: a user on several devices is one member. */
export function onePerUser<M extends { clientId: string }>(members: readonly M[]): M[] {
  const seen = new Set<string>()
  return members.filter((m) => {
    const user = userOf(m.clientId)
    if (seen.has(user)) return false
    seen.add(user)
    return true
  })
}
