import { isIP } from 'node:net'

/** Which Host and Origin headers the broker answers (DNS rebinding and cross-site use). */
export interface RequestGuard {
  /** The Host header names this broker: a loopback name, the bound address or an allowed host, with the broker's port. */
  hostAllowed(host: string | undefined): boolean
  /** The Origin is a page served by this broker (the dashboard). */
  isOwnOrigin(origin: string | undefined): boolean
  /** No Origin (not a browser), a loopback page, this broker's page, or one of `allowedOrigins`. */
  originAllowed(origin: string | undefined): boolean
}

export interface GuardOptions {
  /** The address the broker is bound to. */
  host: string
  /** The port it listens on (known once it listens). */
  port: () => number
  /** More host names (`name` with the broker's port, or `name:port` exactly), e.g. behind a proxy. */
  allowedHosts?: readonly string[]
  /** More page origins allowed to use the broker when authorization is off, e.g. `https://app.example.test`. */
  allowedOrigins?: readonly string[]
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]'])

/** True for localhost, 127.0.0.0/8 and ::1 (in URL form or bare). */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '')
  return name === 'localhost' || name === '::1' || (isIP(name) === 4 && name.startsWith('127.'))
}

const isWildcardAddress = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '[::]'

/** `host[:port]` split as a URL would: lower-case name, IPv6 in brackets, port 80 when absent; undefined when malformed. */
function parseHost(host: string): { name: string; port: number } | undefined {
  try {
    const url = new URL(`http://${host}`)
    // anything a URL would rewrite (userinfo, numeric IPv4 forms, paths) is not a plain Host
    if (url.host !== host.toLowerCase().replace(/:80$/, '')) return undefined
    return { name: url.hostname, port: url.port === '' ? 80 : Number(url.port) }
  } catch {
    return undefined
  }
}

function parseOrigin(origin: string): URL | undefined {
  try {
    const url = new URL(origin)
    return url.origin === 'null' ? undefined : url
  } catch {
    return undefined
  }
}

export function createRequestGuard(options: GuardOptions): RequestGuard {
  const bound = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host.toLowerCase()}]` : options.host.toLowerCase()
  const allowedHosts = (options.allowedHosts ?? []).map((h) => h.toLowerCase())
  const allowedOrigins = new Set((options.allowedOrigins ?? []).map((o) => parseOrigin(o)?.origin ?? o))

  const hostAllowed = (host: string | undefined): boolean => {
    if (!host) return false
    const parsed = parseHost(host)
    if (!parsed) return false
    if (allowedHosts.includes(`${parsed.name}:${parsed.port}`)) return true
    if (parsed.port !== options.port()) return false
    if (LOOPBACK_NAMES.has(parsed.name) || parsed.name === bound || allowedHosts.includes(parsed.name)) return true
    // bound to every interface: reached by an address; DNS rebinding needs a name, never an IP literal
    return isWildcardAddress(bound) && isIP(parsed.name.replace(/^\[|\]$/g, '')) !== 0
  }

  const isOwnOrigin = (origin: string | undefined): boolean => {
    const url = origin === undefined ? undefined : parseOrigin(origin)
    return url !== undefined && url.protocol === 'http:' && hostAllowed(url.host)
  }

  return {
    hostAllowed,
    isOwnOrigin,
    originAllowed(origin) {
      if (origin === undefined) return true
      const url = parseOrigin(origin)
      if (!url) return false
      if ((url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname)) return true
      return isOwnOrigin(origin) || allowedOrigins.has(url.origin)
    },
  }
}
