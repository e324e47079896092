import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { IncomingMessage } from 'node:http'
import { fileURLToPath } from 'node:url'
import type { ConnectionInfo } from '../sessions.js'
import { dashboardBundle } from './dashboard-bundle.js'
import { sendLoginNeeded, type DashboardLogin } from './dashboard-login.js'
import { sendError, sendJson, type HttpRoute } from './router.js'

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }

/** What the page needs to start, written into the HTML itself (never served as JSON). */
export interface DashboardConfig {
  wsUrl: string
  httpUrl: string
  authorization: boolean
  /** MQTT credentials that let the page past the authorizer; the password is also the key of `/api/dashboard`. */
  dashboard: { username: string; password: string }
}

/** The Monitor's live figures, polled by the page from `/api/dashboard` with its key. */
export interface DashboardState {
  connections: ConnectionInfo[]
  subscriptions: number
  /** Counters since start-up; the page turns them into rates. */
  messagesIn: number
  messagesOut: number
  time: number
}

// The package root holds dashboard/ (the page) and dist/dashboard/ (core bundled for the browser).
// Walk up from this module: it sits in src/http/ when run from source and in dist/ when built.
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'dashboard', 'index.html'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('livetopic broker: dashboard files not found')
    dir = parent
  }
  return dir
}

/** Path of the browser bundle of @livetopic/core that the page imports. */
export function dashboardBundlePath(): string {
  return join(packageRoot(), 'dist', 'dashboard', 'livetopic.js')
}

function sendFile(res: Parameters<HttpRoute['handle']>[1], file: string): void {
  if (!existsSync(file)) return sendError(res, 404, 'ResourceNotFoundException', 'not built: run npm run build')
  const type = TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream'
  res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-cache' }).end(readFileSync(file))
}

/** The page with its config inlined; `<` is escaped so no value can close the script element. */
function pageWithConfig(html: string, config: DashboardConfig): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c')
  return html.replace('</head>', `  <script id="livetopic-dashboard-config" type="application/json">${json}</script>\n</head>`)
}

/**
 * The dashboard: the AWS console's MQTT test client and Monitor for the stand-in, at `/`. The page
 * carries a key past the authorizer: it is written into the HTML only (readable by the page, not
 * by another site, which the Host check and the absence of CORS keep out), never cached or framed,
 * and the broker honours it only on a WebSocket from its own origin.
 */
export function dashboardRoutes(deps: {
  config: () => DashboardConfig
  state: () => DashboardState
  keyIn: (req: IncomingMessage) => boolean
  /** With `httpToken` set, the page and its data need the login cookie. */
  login: DashboardLogin
}): HttpRoute[] {
  const root = packageRoot()
  const page = join(root, 'dashboard', 'index.html')
  return [
    {
      method: 'GET',
      path: /^\/$/,
      public: true,
      handle(req, res, _params, url) {
        if (deps.login.login(req, res, url)) return
        if (!deps.login.admits(req)) return sendLoginNeeded(res)
        res
          .writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            'cache-control': 'no-store',
            'content-security-policy': "frame-ancestors 'none'",
            'x-frame-options': 'DENY',
            'referrer-policy': 'no-referrer',
          })
          .end(pageWithConfig(readFileSync(page, 'utf8'), deps.config()))
      },
    },
    {
      method: 'GET',
      path: /^\/api\/dashboard$/,
      public: true,
      handle(req, res) {
        if (!deps.keyIn(req) || !deps.login.admits(req)) return sendError(res, 401, 'UnauthorizedException', 'the dashboard page polls this with its key')
        sendJson(res, deps.state())
      },
    },
    {
      method: 'GET',
      path: /^\/dashboard\/(livetopic\.js|dashboard\.js|dashboard\.css)$/,
      public: true,
      handle(_req, res, [file = '']) {
        if (file !== 'livetopic.js') return sendFile(res, join(root, 'dashboard', file))
        void dashboardBundle(root).then(
          (text) => {
            if (text === undefined) return sendError(res, 404, 'ResourceNotFoundException', 'not built: run npm run build')
            res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }).end(text)
          },
          () => sendError(res, 500, 'InternalFailureException', 'the dashboard bundle did not build'),
        )
      },
    },
  ]
}
