import { LiveTopicError } from '../errors.js'

/**
 * Turns an endpoint into a WebSocket URL: a bare host (`abc-ats.iot.us-east-1.amazonaws.com`)
 * becomes `wss://<host><path>`; a full `ws://`/`wss://` URL (the local stand-in) is kept, with
 * `path` used only when the URL has none.
 */
export function endpointUrl(endpoint: string, path = '/mqtt'): URL {
  if (typeof endpoint !== 'string' || endpoint.trim() === '')
    throw new LiveTopicError('INVALID_OPTIONS', 'an AWS IoT endpoint is required (e.g. "abc-ats.iot.us-east-1.amazonaws.com")')
  const withScheme = /^[a-z][a-z\d+.-]*:\/\//i.test(endpoint) ? endpoint : `wss://${endpoint}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw new LiveTopicError('INVALID_OPTIONS', `"${endpoint}" is not a host name or a ws:// or wss:// URL`)
  }
  if (url.protocol !== 'wss:' && url.protocol !== 'ws:')
    throw new LiveTopicError('INVALID_OPTIONS', `the endpoint must be a host name or a ws:// or wss:// URL, not ${url.protocol}`)
  if (url.pathname === '/' || url.pathname === '') url.pathname = path
  url.hash = ''
  return url
}

/** Appends already-encoded `key=value` pairs to a URL's query string, keeping what is there. */
export function appendQuery(url: URL, pairs: readonly string[]): string {
  const base = `${url.protocol}//${url.host}${url.pathname}`
  const existing = url.search.replace(/^\?/, '')
  const query = [...(existing ? [existing] : []), ...pairs].join('&')
  return query ? `${base}?${query}` : base
}
