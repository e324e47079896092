import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { isLoopbackHost } from './http/request-guard.js'
import type { BrokerLogger } from './logger.js'
import { Policy } from './policy.js'

/** Username the dashboard page connects with. */
export const DASHBOARD_USERNAME = '$dashboard'

/** The dashboard's key: made per start-up, handed only to the page, honoured only from the page's origin. */
export interface DashboardAccess {
  readonly key: string
  /** The policy a dashboard connection gets: everything, as the AWS console's test client. */
  readonly policy: Policy
  /** True for `$dashboard` + the key over a WebSocket whose Origin is the broker's own page. */
  admits(username: string | undefined, password: Buffer | undefined, req: IncomingMessage | undefined): boolean
  /** True when a request carries the key in `x-livetopic-dashboard-key` (the page's monitor polls). */
  keyIn(req: IncomingMessage): boolean
}

const sameSecret = (given: Buffer, expected: Buffer): boolean => given.length === expected.length && timingSafeEqual(given, expected)

export function createDashboardAccess(arnPrefix: string, isOwnOrigin: (origin: string | undefined) => boolean): DashboardAccess {
  const key = randomBytes(24).toString('base64url')
  const expected = Buffer.from(key)
  const policy = new Policy([{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }] }], arnPrefix)
  return {
    key,
    policy,
    admits: (username, password, req) =>
      username === DASHBOARD_USERNAME && password !== undefined && sameSecret(password, expected) && req !== undefined && isOwnOrigin(req.headers.origin),
    keyIn(req) {
      const given = req.headers['x-livetopic-dashboard-key']
      return typeof given === 'string' && sameSecret(Buffer.from(given), expected)
    },
  }
}

/** Refuses a dashboard on a non-loopback host unless allowed, and warns loudly when it is. */
export function checkDashboardHost(host: string, allowed: boolean, logger: BrokerLogger): void {
  if (isLoopbackHost(host)) return
  if (!allowed) {
    throw new Error(
      `refusing to serve the dashboard on ${host}: its page holds a key past the authorizer. Bind to 127.0.0.1, ` +
        'set dashboard: false (--no-dashboard), or allowRemoteDashboard: true (--allow-remote-dashboard)',
    )
  }
  logger.warn(`!!! WARNING: the dashboard is served on a non-loopback address (${host}).`)
  logger.warn('!!! Anyone who can load its page gets a key that passes the authorizer (iot:* on everything).')
  logger.warn('!!! Use this on a trusted network only; this broker is a development tool.')
}
