// Secrets travel in URLs (custom-authorizer tokens and signatures, SigV4 query strings), in MQTT
// credentials and in headers (`Authorization: Bearer …`). Anything that may reach a log, an error
// message or a debug event goes through here first.
// A URL keeps its scheme, host and path; its user-info and whole query string are hidden, since a
// token key name is the user's choice and cannot be recognised by name.
const URL_WITH_SECRETS = /\b((?:wss?|https?|mqtts?):\/\/)(?:[^/@\s?#]+@)?([^\s?#'"]*)(\?[^\s#'"]*)?/gi
const SECRET_PAIR =
  /((?:x-amz-customauthorizer-signature|x-amz-signature|x-amz-security-token|x-amz-credential|password|token|secret|api[_-]?key|sig)["']?\s*[=:]\s*["']?)[^&\s'",}]+/gi
const BEARER = /\b(Bearer|Basic)\s+[^\s'",}]+/gi

/** Hides URL credentials and query strings, `token=`/`password=`-like pairs, `Bearer …` and any listed secret. */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text
    .replace(URL_WITH_SECRETS, (_m, scheme: string, rest: string, query?: string) => `${scheme}${rest}${query ? '?***' : ''}`)
    .replace(SECRET_PAIR, '$1***')
    .replace(BEARER, '$1 ***')
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join('***')
  return out
}
