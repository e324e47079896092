import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

const COOKIE = 'livetopic-dashboard'

const same = (given: string, expected: Buffer): boolean => {
  const g = Buffer.from(given)
  return g.length === expected.length && timingSafeEqual(g, expected)
}

/** The dashboard's door when `httpToken` is set; without one the page is open to its Host/Origin checks only. */
export interface DashboardLogin {
  /** True when the request may see the page or its data: no token set, or the login cookie. */
  admits(req: IncomingMessage): boolean
  /**
   * Handles `GET /?token=…`: with the right token it sets an HttpOnly, SameSite=Strict cookie and
   * redirects to `/` (so the token leaves the address bar and history); true when it answered.
   */
  login(req: IncomingMessage, res: ServerResponse, url: URL): boolean
}

/**
 * With `httpToken` set, the dashboard page and the key it carries need the token too: the browser
 * presents it once as `/?token=…` and gets a cookie holding a random value made at start-up (never the
 * token itself). SameSite=Strict keeps it off requests from other sites; HttpOnly keeps it from scripts.
 */
export function createDashboardLogin(httpToken: string | undefined): DashboardLogin {
  if (httpToken === undefined) return { admits: () => true, login: () => false }
  const token = Buffer.from(httpToken)
  const session = randomBytes(24).toString('base64url')
  const sessionBytes = Buffer.from(session)
  return {
    admits(req) {
      const cookies = (req.headers.cookie ?? '').split(';').map((c) => c.trim())
      return cookies.some((c) => c.startsWith(`${COOKIE}=`) && same(c.slice(COOKIE.length + 1), sessionBytes))
    },
    login(_req, res, url) {
      const given = url.searchParams.get('token')
      if (given === null) return false
      if (!same(given, token)) {
        res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('wrong token\n')
        return true
      }
      res
        .writeHead(303, {
          location: '/',
          'set-cookie': `${COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`,
          'cache-control': 'no-store',
          'referrer-policy': 'no-referrer',
        })
        .end()
      return true
    },
  }
}

/** The answer to a page request without the login cookie. */
export function sendLoginNeeded(res: ServerResponse): void {
  res
    .writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
    .end('This broker has an HTTP token: open the dashboard as /?token=<the --http-token value>.\n')
}
