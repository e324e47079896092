/**
 * Why `url` cannot be a broker URL, or undefined when it can. Checked with WHATWG `new URL()`
 * before anything else sees it: a malformed URL must become a typed error here, not an
 * `ERR_INVALID_URL` thrown from a socket library (its `input` holds the token) or Node's DEP0170
 * warning from `url.parse()` (which prints it).
 */
export function brokerUrlProblem(url: unknown): string | undefined {
  if (typeof url !== 'string') return `must be a string, got ${url === null ? 'null' : typeof url}`
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'is not a valid URL'
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') return 'must start with ws:// or wss://'
  // WebSocket URLs may not carry a fragment (the WebSocket constructor throws a SyntaxError)
  if (url.includes('#')) return 'must not have a #fragment'
  return undefined
}
