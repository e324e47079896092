/** Display names from client ids. */

/**
 * The display name inside an older `Name-suffix` client id; for a signed-in user's
 * `<userId>_<device>` (identity.ts), the user id.
 */
export function nameOf(clientId: string): string {
  const underscore = clientId.indexOf('_')
  if (underscore > 0 && !clientId.includes('-', underscore)) return clientId.slice(0, underscore)
  const dash = clientId.lastIndexOf('-')
  return dash > 0 ? clientId.slice(0, dash) : clientId
}
