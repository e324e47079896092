import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Aedes } from 'aedes'
import { clientById, closeWithReason, dropWill, REASON } from '../aedes-adapter/index.js'
import { IOT_LIMITS } from '../iot-limits.js'
import type { QuotaChecks } from '../quotas/quota-checks.js'
import type { RetainedIndex } from '../retained-index.js'
import type { Sessions } from '../sessions.js'
import { readBody } from './read-body.js'
import { sendError, sendJson, type HttpRoute } from './router.js'
import { publishTopicRefusal } from './topic-check.js'

/** The IoT Data Plane routes: publish, retained messages, delete connection. */
export function dataPlaneRoutes(deps: { aedes: Aedes; retained: RetainedIndex; sessions: Sessions; quotas: QuotaChecks }): HttpRoute[] {
  const { aedes, retained, sessions, quotas } = deps
  return [
    {
      method: 'POST',
      path: /^\/topics\/(.+)$/,
      async handle(req: IncomingMessage, res: ServerResponse, [topic = ''], url: URL) {
        const refused = publishTopicRefusal(topic)
        if (refused) return sendError(res, refused.status, refused.type, refused.message)
        const qosText = url.searchParams.get('qos') ?? '0'
        if (qosText !== '0' && qosText !== '1') return sendError(res, 400, 'InvalidRequestException', 'qos must be 0 or 1')
        const retainText = url.searchParams.get('retain') ?? 'false'
        if (retainText !== 'true' && retainText !== 'false') return sendError(res, 400, 'InvalidRequestException', 'retain must be true or false')
        const userProperties = req.headers['x-amz-mqtt5-user-properties']
        if (typeof userProperties === 'string') {
          // MQTT 3.1.1 cannot carry user properties: validated, then dropped
          try {
            if (!Array.isArray(JSON.parse(Buffer.from(userProperties, 'base64').toString('utf8')))) throw new Error()
          } catch {
            return sendError(res, 400, 'InvalidRequestException', 'x-amz-mqtt5-user-properties must be a base64 JSON array')
          }
        }
        const body = await readBody(req, IOT_LIMITS.maxPayloadBytes)
        if (!body) return sendError(res, 413, 'RequestEntityTooLargeException', `payload larger than ${IOT_LIMITS.maxPayloadBytes} bytes`)
        // IoT answers a retained message over its quota with a throttled response: 429
        const overQuota = retainText === 'true' ? quotas.retain(topic, body.length) : undefined
        if (overQuota?.disconnect === 'THROTTLED') return sendError(res, 429, 'ThrottlingException', overQuota.reason)
        if (overQuota) return sendError(res, 413, 'RequestEntityTooLargeException', overQuota.reason)
        await new Promise<void>((resolve, reject) =>
          aedes.publish({ cmd: 'publish', topic, payload: body, qos: qosText === '1' ? 1 : 0, retain: retainText === 'true', dup: false }, (e) =>
            e ? reject(e) : resolve(),
          ),
        )
        sendJson(res, {})
      },
    },
    {
      method: 'GET',
      path: /^\/retainedMessage\/(.+)$/,
      handle(_req, res, [topic = '']) {
        const entry = retained.get(topic)
        if (!entry) return sendError(res, 404, 'ResourceNotFoundException', 'no retained message on this topic')
        sendJson(res, { topic: entry.topic, payload: entry.payload.toString('base64'), qos: entry.qos, lastModifiedTime: entry.lastModifiedTime })
      },
    },
    {
      method: 'GET',
      path: /^\/retainedMessage\/?$/,
      handle(_req, res, _params, url) {
        const max = Number(url.searchParams.get('maxResults') ?? '200')
        const start = Number(url.searchParams.get('nextToken') ?? '0')
        if (!Number.isInteger(max) || max < 1 || max > 200 || !Number.isInteger(start) || start < 0) {
          return sendError(res, 400, 'InvalidRequestException', 'bad maxResults or nextToken')
        }
        const all = retained.list()
        const page = all.slice(start, start + max)
        sendJson(res, {
          retainedTopics: page.map((e) => ({ topic: e.topic, payloadSize: e.payload.length, qos: e.qos, lastModifiedTime: e.lastModifiedTime })),
          ...(start + max < all.length ? { nextToken: String(start + max) } : {}),
        })
      },
    },
    {
      method: 'DELETE',
      path: /^\/connections\/([^/]+)$/,
      handle(_req, res, [clientId = ''], url) {
        const client = clientById(aedes, clientId)
        if (!client || client.closed) return sendError(res, 404, 'ResourceNotFoundException', 'no connection with this client id')
        const session = sessions.get(client)
        if (session) session.reason ??= 'SERVER_INITIATED_DISCONNECT'
        if (url.searchParams.get('preventWillMessage') === 'true') dropWill(client)
        closeWithReason(client, REASON.administrativeAction) // MQTT 5: DISCONNECT 0x98
        sendJson(res, {})
      },
    },
  ]
}

/** `GET /` when the dashboard is off: a short text page. */
export const homeRoute = (info: () => string): HttpRoute => ({
  method: 'GET',
  path: /^\/$/,
  public: true,
  handle(_req, res) {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(info())
  },
})
