import type { IncomingMessage, ServerResponse } from 'node:http'

/** One HTTP route: method, a path pattern whose groups become `params`, and a handler. */
export interface HttpRoute {
  /** HTTP method it answers. */
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'OPTIONS'
  /** Matched against the raw (still percent-encoded) path. */
  path: RegExp
  /** Data Plane routes need the bearer token when `httpToken` is set; a page like the dashboard may not. */
  public?: boolean
  /** Answers the request; a throw or rejection becomes a 500. */
  handle(req: IncomingMessage, res: ServerResponse, params: string[], url: URL): void | Promise<void>
}

/** Writes IoT's error shape: status, `x-amzn-errortype` and `{ message }`. */
export function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  if (res.headersSent) return
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type }).end(JSON.stringify({ message }))
}

/** Writes a JSON 200. */
export function sendJson(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

/** Dispatches to the first route whose method and path match; 404 or 405 otherwise. */
export function createRouter(routes: HttpRoute[], authorize: (req: IncomingMessage) => boolean) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const onPath = routes.filter((r) => r.path.test(url.pathname))
    if (onPath.length === 0) return sendError(res, 404, 'ResourceNotFoundException', 'no such resource')
    const route = onPath.find((r) => r.method === req.method)
    if (!route) return sendError(res, 405, 'MethodNotAllowedException', `${req.method ?? ''} is not allowed here`)
    if (!route.public && !authorize(req)) return sendError(res, 401, 'UnauthorizedException', 'missing or wrong bearer token')
    let params: string[]
    try {
      params = (route.path.exec(url.pathname) ?? []).slice(1).map((p) => decodeURIComponent(p))
    } catch {
      return sendError(res, 400, 'InvalidRequestException', 'malformed percent-encoding in the path')
    }
    Promise.resolve()
      .then(() => route.handle(req, res, params, url))
      .catch(() => sendError(res, 500, 'InternalFailureException', 'internal error'))
  }
}
