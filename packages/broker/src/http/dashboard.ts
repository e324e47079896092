import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ConnectionInfo } from '../sessions.js'
import { sendError, sendJson, type HttpRoute } from './router.js'

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }

/** Everything the dashboard page shows that only the broker knows. */
export interface DashboardState {
  wsUrl: string
  httpUrl: string
  authorization: boolean
  /** MQTT credentials that let the page past the authorizer (the broker made them at start-up). */
  dashboard: { username: string; password: string }
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

/**
 * The dashboard: the AWS console's MQTT test client and Monitor for the stand-in, at `/`.
 * Public like any page on a 127.0.0.1 server; it carries a key past the authorizer, so do not
 * bind the broker to a shared interface with the dashboard on.
 */
export function dashboardRoutes(state: () => DashboardState): HttpRoute[] {
  const root = packageRoot()
  return [
    { method: 'GET', path: /^\/$/, public: true, handle: (_req, res) => sendFile(res, join(root, 'dashboard', 'index.html')) },
    { method: 'GET', path: /^\/api\/dashboard$/, public: true, handle: (_req, res) => sendJson(res, state()) },
    {
      method: 'GET',
      path: /^\/dashboard\/(livetopic\.js|dashboard\.js|dashboard\.css)$/,
      public: true,
      handle(_req, res, [file = '']) {
        sendFile(res, file === 'livetopic.js' ? dashboardBundlePath() : join(root, 'dashboard', file))
      },
    },
  ]
}
