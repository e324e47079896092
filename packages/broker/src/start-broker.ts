import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http'
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { Aedes } from 'aedes'
import { WebSocketServer } from 'ws'
import { subscriptionsOf } from './aedes-internals.js'
import { coalescingWebSocketStream } from './websocket-stream.js'
import type { Authorizer } from './authorizer-types.js'
import { BrokerEvents } from './broker-events.js'
import type { BrokerContext } from './context.js'
import { checkDashboardHost, createDashboardAccess, DASHBOARD_USERNAME } from './dashboard-access.js'
import { dashboardRoutes } from './http/dashboard.js'
import { createDashboardLogin } from './http/dashboard-login.js'
import { dataPlaneRoutes, homeRoute } from './http/data-plane.js'
import { createRequestGuard } from './http/request-guard.js'
import { createRouter, sendError, type HttpRoute } from './http/router.js'
import { noteEmptyPersistentClientId } from './empty-client-id.js'
import { createIotHooks } from './iot-hooks.js'
import { IOT_LIMITS } from './iot-limits.js'
import { Lifecycle } from './lifecycle.js'
import { bearerCheck, closeServer, listen } from './servers.js'
import { wireLifecycle } from './lifecycle-wiring.js'
import { resolveLogger, type BrokerLogger } from './logger.js'
import { attachPacketChecks } from './packet-checks.js'
import { enforceSessionQuotas } from './quotas/persistent-sessions.js'
import { resolveQuotas, type BrokerQuotas } from './quotas/options.js'
import { QuotaChecks } from './quotas/quota-checks.js'
import { RetainedIndex } from './retained-index.js'
import { holdLiveDeliveriesWhileResuming } from './resume-order.js'
import { fixSessionStore } from './session-store-fixes.js'
import { compileRules, startRules } from './rules/rule-engine.js'
import type { TopicRule } from './rules/topic-rule.js'
import { Sessions, type ConnectionInfo } from './sessions.js'
import type { TokenSigning } from './token-signature.js'
import { checkTokenSigningKeys } from '@livetopic/iot/signing-keys'

/** Options of {@link startBroker}. */
export interface BrokerOptions {
  /** Port of the HTTP + WebSocket server; 0 (default) picks a free one. */
  port?: number
  /** Interface to bind; 127.0.0.1 by default so nothing is exposed beyond this machine. */
  host?: string
  /** Also listen for plain MQTT over TCP (for mosquitto_pub/sub and other stock clients). `true` picks a free port. */
  mqttPort?: number | boolean
  /** Path of the MQTT-over-WebSocket endpoint, `/mqtt` as on AWS IoT Core. */
  path?: string
  /** IoT custom authorizer; without one every client may do everything (local development). */
  authorizer?: Authorizer
  /** Name of the token key in the query, upgrade headers or username query (IoT's `tokenKeyName`); default `token`. */
  tokenKeyName?: string
  /** Verify the token's RSA signature before calling the authorizer, as IoT does with signing on. */
  tokenSigning?: Omit<TokenSigning, 'tokenKeyName'>
  /** Region of the policy ARNs; default `us-east-1`. */
  region?: string
  /** Account of the policy ARNs; default `123456789012`. */
  accountId?: string
  /** Topic rules (IoT SQL subset); invalid SQL throws here. */
  rules?: TopicRule[]
  /** When set, the Data Plane HTTP API needs `Authorization: Bearer <httpToken>`. */
  httpToken?: string
  /** Extra HTTP routes, tried before the built-in ones (e.g. a dashboard at `/`). */
  routes?: HttpRoute[]
  /** Serve the dashboard (MQTT test client and Monitor) at `/`; default true. */
  dashboard?: boolean
  /**
   * Serve the dashboard although `host` is not a loopback address. Its page carries a key past the
   * authorizer to whoever can load it; without this, such a start is refused.
   */
  allowRemoteDashboard?: boolean
  /**
   * Host names, besides 127.0.0.1, localhost, [::1] and `host`, that requests may name in their Host
   * header: `name` (with the broker's port) or `name:port`. Every other Host is refused (DNS rebinding).
   */
  allowedHosts?: string[]
  /**
   * Page origins, besides loopback ones, allowed to use the broker from a browser while authorization
   * is off (WebSocket and HTTP), e.g. `https://dev.example.test`. Requests without an Origin (Node,
   * the AWS SDK, mosquitto) are not concerned.
   */
  allowedOrigins?: string[]
  /**
   * IoT Core's quotas, each IoT's default unless set here (`Infinity` turns one off): subscriptions
   * per connection, publishes per second per connection, connects per second per client id,
   * persistent session expiry, queued messages per offline session, retained messages and their size.
   */
  quotas?: BrokerQuotas
  /** Start-up notes and denials; default the console, `'silent'` for tests. */
  logger?: BrokerLogger | 'silent'
  /** Test-only knobs that IoT Core does not have. */
  testing?: {
    /** Accept durations and keep-alives below IoT's minimums (seconds may be fractional). */
    allowShortDurations?: boolean
    /** Authorizer time limit; IoT's is 5000 ms. */
    authorizerTimeoutMs?: number
    /** Time a connection has to send its CONNECT; 10000 ms by default. */
    connectTimeoutMs?: number
  }
}

/** A running broker; `close()` ends every connection and frees the ports. */
export interface RunningBroker {
  /** WebSocket URL of the MQTT endpoint, e.g. `ws://127.0.0.1:41234/mqtt`. */
  readonly url: string
  /** Base URL of the HTTP server (same port as the WebSocket): Data Plane API and pages. */
  readonly httpUrl: string
  readonly host: string
  readonly port: number
  /** Port of the plain MQTT/TCP listener, when asked for. */
  readonly mqttPort?: number
  /** The underlying aedes instance, for inspection in tests. */
  readonly aedes: Aedes
  readonly httpServer: HttpServer
  /** True when an authorizer is configured. */
  readonly authorization: boolean
  /** Lifecycle events and denials as they happen. */
  readonly events: BrokerEvents
  /** Connected clients with their principal and subscriptions. */
  connections(): ConnectionInfo[]
  /** Total subscriptions over all connected clients. */
  subscriptionCount(): number
  close(): Promise<void>
}

/** Starts aedes behind a real WebSocket server (and optionally a TCP listener) with IoT Core's behaviour. MQTT 3.1.1. */
export async function startBroker(options: BrokerOptions = {}): Promise<RunningBroker> {
  const host = options.host ?? '127.0.0.1'
  const path = options.path ?? '/mqtt'
  const logger = resolveLogger(options.logger)
  const rules = compileRules(options.rules ?? []) // throws before anything listens
  if (options.tokenSigning) checkTokenSigningKeys(options.tokenSigning.publicKeys) // IoT refuses keys under 2,048 bits
  const quotas = resolveQuotas(options.quotas, options.testing?.allowShortDurations === true) // throws before anything listens
  const events = new BrokerEvents()
  // eslint-disable-next-line prefer-const -- ctx's closures need it before the broker exists; it is set once the broker is made
  let aedesRef: Aedes | undefined
  const dashboardOn = options.dashboard !== false
  if (dashboardOn) checkDashboardHost(host, options.allowRemoteDashboard === true, logger)
  let boundPort = 0
  const guard = createRequestGuard({
    host,
    port: () => boundPort,
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
  })
  const arnPrefix = `arn:aws:iot:${options.region ?? 'us-east-1'}:${options.accountId ?? '123456789012'}:`
  // the dashboard gets past the authorizer with a key made now (like the console's test client)
  const access = dashboardOn ? createDashboardAccess(arnPrefix, (origin) => guard.isOwnOrigin(origin)) : undefined
  const authorizer = options.authorizer
  const ctx: BrokerContext = {
    ...(authorizer ? { authorizer } : {}),
    ...(access ? { dashboard: access } : {}),
    ...(options.tokenSigning ? { tokenSigning: { ...options.tokenSigning, tokenKeyName: options.tokenKeyName ?? 'token' } } : {}),
    tokenKeyName: options.tokenKeyName ?? 'token',
    arnPrefix,
    allowShortDurations: options.testing?.allowShortDurations === true,
    authorizerTimeoutMs: options.testing?.authorizerTimeoutMs ?? 5000,
    logger,
    events,
    sessions: new Sessions(),
    quotas: new QuotaChecks(quotas),
    lifecycle: new Lifecycle(() => aedesRef!, events),
    aedes: () => aedesRef!,
  }
  const aedes = await Aedes.createBroker({
    ...createIotHooks(ctx),
    preConnect: noteEmptyPersistentClientId,
    maxClientsIdLength: 65535,
    connectTimeout: options.testing?.connectTimeoutMs ?? IOT_LIMITS.connectTimeoutMs,
  })
  aedesRef = aedes
  holdLiveDeliveriesWhileResuming(aedes)
  fixSessionStore(aedes)
  wireLifecycle(aedes, ctx)
  const retained = new RetainedIndex(aedes)
  ctx.quotas.countRetained(retained)
  aedes.on('unsubscribe', (topics, client) => ctx.quotas.unsubscribed(client, topics))
  const stopSessionQuotas = enforceSessionQuotas(aedes, ctx, quotas)
  startRules(aedes, rules, logger)
  const counters = { in: 0, out: 0 }
  aedes.on('publish', (packet) => {
    if (!packet.topic.startsWith('$SYS/')) counters.in++
  })
  const forward = aedes.authorizeForward.bind(aedes)
  aedes.authorizeForward = (client, packet) => {
    const result = forward(client, packet)
    if (result) counters.out++
    return result
  }

  const sockets = new Set<Socket | Duplex>()
  const track = (stream: Socket | Duplex): void => {
    sockets.add(stream)
    stream.once('close', () => sockets.delete(stream))
  }
  const handle = (stream: Socket | Duplex, req?: IncomingMessage): void => {
    track(stream)
    attachPacketChecks(aedes.handle(stream, req), ctx)
  }

  const urls = { ws: '', http: '' }
  const routes: HttpRoute[] = [
    ...(options.routes ?? []),
    ...(access
      ? dashboardRoutes({
          config: () => ({
            wsUrl: urls.ws,
            httpUrl: urls.http,
            authorization: ctx.authorizer !== undefined,
            dashboard: { username: DASHBOARD_USERNAME, password: access.key },
          }),
          state: () => ({
            connections: connections(),
            subscriptions: subscriptionCount(),
            messagesIn: counters.in,
            messagesOut: counters.out,
            time: Date.now(),
          }),
          keyIn: (req) => access.keyIn(req),
          login: createDashboardLogin(options.httpToken),
        })
      : []),
    ...dataPlaneRoutes({ aedes, retained, sessions: ctx.sessions, quotas: ctx.quotas }),
    homeRoute(() => `livetopic broker (local AWS IoT Core stand-in)\nMQTT over WebSocket: ${urls.ws}\nauthorization: ${ctx.authorizer ? 'on' : 'off'}\n`),
  ]
  const router = createRouter(routes, bearerCheck(options.httpToken))
  // Host on every request (DNS rebinding); Origin on HTTP always (the API has no CORS, so a foreign
  // page has no business here), and on the WebSocket while there is no authorizer to ask
  const httpServer = createHttpServer((req, res) => {
    if (!guard.hostAllowed(req.headers.host)) return sendError(res, 403, 'ForbiddenException', 'Host is not this broker')
    if (!guard.originAllowed(req.headers.origin)) return sendError(res, 403, 'ForbiddenException', 'Origin is not allowed')
    router(req, res)
  })
  const wss = new WebSocketServer({ noServer: true, maxPayload: IOT_LIMITS.maxWebSocketMessageBytes })
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const originRefused = !ctx.authorizer && !guard.originAllowed(req.headers.origin)
    if (!guard.hostAllowed(req.headers.host) || originRefused) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    if (url.pathname !== path) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (websocket) => {
      handle(coalescingWebSocketStream(websocket), req)
    })
  })
  const port = await listen(httpServer, options.port ?? 0, host)
  boundPort = port

  let tcpServer: TcpServer | undefined
  let mqttPort: number | undefined
  if (options.mqttPort !== undefined && options.mqttPort !== false) {
    tcpServer = createTcpServer((socket) => handle(socket))
    mqttPort = await listen(tcpServer, options.mqttPort === true ? 0 : options.mqttPort, host)
  }

  const connections = (): ConnectionInfo[] =>
    ctx.sessions.connected().map(([client, s]) => ({
      clientId: s.clientId,
      ...(s.principalId ? { principalId: s.principalId } : {}),
      connectedAt: s.connectedAt!,
      subscriptions: subscriptionsOf(client),
    }))
  const subscriptionCount = (): number => ctx.sessions.connected().reduce((n, [client]) => n + subscriptionsOf(client).length, 0)
  const urlHost = host.includes(':') ? `[${host}]` : host
  urls.ws = `ws://${urlHost}:${port}${path}`
  urls.http = `http://${urlHost}:${port}`
  logger.info(
    ctx.authorizer ? 'authorization on: custom authorizer and IoT policies enforced' : 'authorization off: no authorizer, every client may do everything',
  )
  let closing: Promise<void> | undefined
  return {
    url: urls.ws,
    httpUrl: urls.http,
    host,
    port,
    mqttPort,
    aedes,
    httpServer,
    authorization: ctx.authorizer !== undefined,
    events,
    connections,
    subscriptionCount,
    close() {
      closing ??= (async () => {
        ctx.sessions.clear()
        stopSessionQuotas()
        for (const client of wss.clients) client.terminate()
        for (const socket of sockets) socket.destroy()
        await new Promise<void>((resolve) => aedes.close(() => resolve()))
        httpServer.closeAllConnections()
        await Promise.all([closeServer(httpServer), tcpServer && closeServer(tcpServer)])
        wss.close()
      })()
      return closing
    },
  }
}
