import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
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
