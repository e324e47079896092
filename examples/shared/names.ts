/** Client ids and display names: `Alice` → `Alice-k3x9q2`, and back. */

/** Letters, digits and `_` of a name, at most 40 (IoT client ids and principal ids stay simple). */
function sanitizeName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_]/g, '')
    .slice(0, 40)
}

/** A client id unique per tab: the name plus a random suffix, so two tabs never take each other over. */
export function clientIdFor(name: string): string {
  const bytes = new Uint8Array(4)
  globalThis.crypto.getRandomValues(bytes)
  const suffix = Array.from(bytes, (b) => (b % 36).toString(36)).join('')
  return `${sanitizeName(name) || 'guest'}-${suffix}`
}

/**
 * The display name inside a client id made by {@link clientIdFor}; for a signed-in user's
 * `<userId>_<device>` (identity.ts), the user id.
 */
export function nameOf(clientId: string): string {
  const underscore = clientId.indexOf('_')
  if (underscore > 0 && !clientId.includes('-', underscore)) return clientId.slice(0, underscore)
  const dash = clientId.lastIndexOf('-')
  return dash > 0 ? clientId.slice(0, dash) : clientId
}
