// Secrets travel in URLs (custom-authorizer tokens and signatures, SigV4 query strings), in MQTT
// credentials, in headers (`Authorization: Bearer …`) and in what token and URL providers throw.
// Anything that may reach a log, an error message or a debug event goes through here first.
// A URL keeps its scheme, host and path; its user-info and everything after `?` or `#` are hidden,
// whether it parses or not: a token key name is the user's choice, and a URL that does not parse
// (`ws://bad host/mqtt?jwt=…`) has no query string a parser could find.

// user-info of a URL (`wss://user:pw@host`)
const USER_INFO = /\b((?:wss?|https?|mqtts?):\/\/)[^/@\s?#]+@/gi
// `?` or `#` inside a word, and the rest of that word (a query or fragment, parsed or not)
const QUERY = /(\S[?#])[^\s'"<>)\]}]+/g
const BEARER = /\b(Bearer|Basic)\s+[^\s'",}]+/gi
// names whose value is a secret wherever a `name=value` or `name: value` pair shows
let pairs = /((?:^|[^\w-])(?:[\w-]*(?:token|jwt|secret|passw(?:or)?d|signature|api[_-]?key)|sig|auth|session|x-amz-[\w-]+)["']?\s*[=:]\s*["']?)[^&\s'",;}]+/gi

/**
 * Adds a key name whose value is hidden wherever it shows (`name=value`), e.g. a custom
 * authorizer's `tokenKeyName`. Names are added for the life of the page; they are not secrets.
 */
export function redactKey(name: string): void {
  const key = `|${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}|`
  if (!pairs.source.includes(key)) pairs = new RegExp(pairs.source.replace('|sig|', `${key}sig|`), 'gi')
}

/** Hides URL credentials, queries and fragments, secret-named pairs, `Bearer …` and any listed secret. */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(pairs, '$1***').replace(USER_INFO, '$1').replace(QUERY, '$1***').replace(BEARER, '$1 ***')
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join('***')
  return out
}
