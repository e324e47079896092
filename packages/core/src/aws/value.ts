/** A string, or a (possibly async) function giving a fresh one on every connect attempt. */
export type Fresh<Args extends unknown[] = []> = string | ((...args: Args) => string | Promise<string>)

/** Resolves a {@link Fresh} value (called anew each time: tokens and signatures expire). */
export async function resolveFresh<Args extends unknown[]>(value: Fresh<Args>, ...args: Args): Promise<string> {
  const resolved = typeof value === 'function' ? await value(...args) : value
  if (typeof resolved !== 'string') throw new TypeError(`expected a string, got ${typeof resolved}`)
  return resolved
}

/** RFC 3986 percent-encoding (what AWS expects in query strings: `encodeURIComponent` plus `!'()*`). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/**
 * A token signature as AWS IoT wants it in a query string: URL-encoded once. A value that already
 * holds a `%` is taken as encoded (AWS's own SDKs do the same), so it is never encoded twice.
 */
export function encodeSignature(signature: string): string {
  return signature.includes('%') ? signature : uriEncode(signature)
}
