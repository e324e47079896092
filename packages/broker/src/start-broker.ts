import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http'
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { Aedes, type Client } from 'aedes'
import { WebSocketServer } from 'ws'
import {
  adaptBroker,
  coalescingWebSocketStream,
  DEFAULT_OUTGOING_LIMITS,
  enforceSessionQuotas,
  handleConnection,
  subscriptionsOf,
  type OutgoingLimits,
} from './aedes-adapter/index.js'
import type { Authorizer } from './authorizer-types.js'
import { BrokerEvents } from './broker-events.js'
import type { BrokerContext } from './context.js'
import { checkDashboardHost, createDashboardAccess, DASHBOARD_USERNAME } from './dashboard-access.js'
import { createDevIssuer, DEV_AUDIENCE, type DevIssuer } from './dev-identity/dev-issuer.js'
import { DEV_AUTH_PATH, devIdentityRoutes } from './dev-identity/dev-identity-routes.js'
import { dashboardRoutes } from './http/dashboard.js'
import { createDashboardLogin } from './http/dashboard-login.js'
import { dataPlaneRoutes, homeRoute } from './http/data-plane.js'
import { createRequestGuard, type RequestGuard } from './http/request-guard.js'
import { createRouter, sendError, type HttpRoute } from './http/router.js'
import { noteEmptyPersistentClientId } from './empty-client-id.js'
import { createIotHooks } from './iot-hooks.js'
import { guardPendingConnection, type PendingConnectionLimits } from './pending-guard.js'
import { IOT_LIMITS } from './iot-limits.js'
import { Lifecycle } from './lifecycle.js'
import { bearerCheck, closeServer, listen } from './servers.js'
import { wireLifecycle } from './lifecycle-wiring.js'
import { resolveLogger, type BrokerLogger } from './logger.js'
import { ReceiveRules } from './receive-rules.js'
import { resolveQuotas, type BrokerQuotas } from './quotas/options.js'
import { QuotaChecks } from './quotas/quota-checks.js'
import { RetainedIndex } from './retained-index.js'
import { compileRules, startRules } from './rules/rule-engine.js'
import { LambdaCredentials } from './rules/lambda-credentials.js'
import type { LambdaRunnerOptions } from './rules/lambda-runner.js'
import type { TopicRule } from './rules/topic-rule.js'
import { Sessions, type ConnectionInfo } from './sessions.js'
import type { TokenSigning } from './token-signature.js'
import { checkTokenSigningKeys } from '@livetopic/iot/signing-keys'
import { startTlsListeners, type TlsEndpoints, type TlsListeners } from './tls/listeners.js'
import { resolveTlsOptions, type BrokerTlsOptions } from './tls/tls-options.js'

/** Options of {@link startBroker}. */
export interface BrokerOptions {
  /** Port of the HTTP + WebSocket server; 0 (default) picks a free one. */
  port?: number
  /** Interface to bind; 127.0.0.1 by default so nothing is exposed beyond this machine. */
  host?: string
  /** Also listen for plain MQTT over TCP (for mosquitto_pub/sub and other stock clients). `true` picks a free port. */
  mqttPort?: number | boolean
  /**
   * Also serve MQTT over TLS and MQTT over WSS (as IoT's 8883 and 443), on ports of their own; `true`
   * makes a development CA and a localhost certificate for this run. See {@link BrokerTlsOptions}.
   */
  tls?: boolean | BrokerTlsOptions
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
  /** How `lambda` rule actions run: fresh instances by default, concurrency, time limit. */
  lambda?: LambdaRunnerOptions
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
   * Serve a development identity provider under `/dev-auth` (OpenID discovery, JWKS, and
   * `POST /dev-auth/token` `{ name }` → a signed ID token): real JWTs, so an authorizer verifies
   * them exactly as it verifies Cognito's. Local development only: anyone who reaches it gets a token.
   */
  devIdentity?:
    | boolean
    | {
        /** Life of an issued token, whole seconds; default 3600. */
        tokenTtlSeconds?: number
      }
  /**
   * IoT Core's quotas, each IoT's default unless set here (`Infinity` turns one off): subscriptions
   * per connection, publishes per second per connection, connects per second per client id,
   * persistent session expiry, queued messages per offline session, retained messages and their size.
   */
  quotas?: BrokerQuotas
  /** Start-up notes and denials; default the console, `'silent'` for tests. */
  logger?: BrokerLogger | 'silent'
  /**
   * Bounds on what one client may have queued before it counts as a slow consumer (QoS 0 dropped,
   * then disconnected with THROTTLED): see {@link OutgoingLimits} for the defaults and IoT's figures.
   */
  outgoing?: Partial<OutgoingLimits>
  /** Caps on connections whose CONNECT is not accepted yet (memory before authentication): {@link PendingConnectionLimits}. */
  pending?: Partial<PendingConnectionLimits>
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
  /** The interface it is bound to (`BrokerOptions.host`). */
  readonly host: string
  /** Port of the HTTP + WebSocket server (the free one picked when asked for 0). */
  readonly port: number
  /** Port of the plain MQTT/TCP listener, when asked for. */
  readonly mqttPort?: number
  /** The TLS listeners' URLs, ports and CA certificate, when `tls` is on. */
  readonly tls?: TlsEndpoints
  /** The underlying aedes instance, for inspection in tests. */
  readonly aedes: Aedes
  /** The Node HTTP server behind the WebSocket, the Data Plane API and the pages. */
  readonly httpServer: HttpServer
  /** True when an authorizer is configured. */
  readonly authorization: boolean
  /** The development identity provider, when `devIdentity` is on: what an authorizer verifies against. */
  readonly devIdentity?: {
    /** Issuer URL (`iss`) of its tokens, served by this broker. */
    readonly issuer: string
    /** Audience (`aud`) of its tokens: `livetopic-dev`. */
    readonly audience: string
  }
  /** Lifecycle events and denials as they happen. */
  readonly events: BrokerEvents
  /** Connected clients with their principal and subscriptions. */
  connections(): ConnectionInfo[]
  /** Total subscriptions over all connected clients. */
  subscriptionCount(): number
  /** Ends every connection and frees the ports. */
  close(): Promise<void>
}

/** Starts aedes behind a real WebSocket server (and optionally a TCP listener) with IoT Core's behaviour. MQTT 3.1.1 and 5. */
export async function startBroker(options: BrokerOptions = {}): Promise<RunningBroker> {
  const host = options.host ?? '127.0.0.1'
  const path = options.path ?? '/mqtt'
  const logger = resolveLogger(options.logger)
  const urls = { ws: '', http: '' }
  const region = options.region ?? 'us-east-1'
  const lambdaCredentials = new LambdaCredentials()
  // throws before anything listens
  const rules = compileRules(options.rules ?? [], {
    options: options.lambda ?? {},
    runtimeEnvironment: () => ({ ...lambdaCredentials.environment(region), LIVETOPIC_IOT_ENDPOINT: urls.http }),
    logger,
  })
  await Promise.all(rules.flatMap((rule) => (rule.runner ? [rule.runner.prepare()] : [])))
  if (options.tokenSigning) checkTokenSigningKeys(options.tokenSigning.publicKeys) // IoT refuses keys under 2,048 bits
  // its issuer URL names the port, known once the server listens (before any request can come)
  const devIssuer = await startDevIssuer(options.devIdentity, () => `${urls.http}${DEV_AUTH_PATH}`)
  const tlsOptions = options.tls ? await resolveTlsOptions(options.tls) : undefined // throws before anything listens
  const quotas = resolveQuotas(options.quotas, options.testing?.allowShortDurations === true) // throws before anything listens
  const events = new BrokerEvents()
  // eslint-disable-next-line prefer-const -- ctx's closures need it before the broker exists; it is set once the broker is made
  let aedesRef: Aedes | undefined
  const dashboardOn = options.dashboard !== false
  if (dashboardOn) checkDashboardHost(host, options.allowRemoteDashboard === true, logger)
  let boundPort = 0
  const guardFor = (port: () => number): RequestGuard =>
    createRequestGuard({
      host,
      port,
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
      ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    })
  const guard = guardFor(() => boundPort)
  const arnPrefix = `arn:aws:iot:${region}:${options.accountId ?? '123456789012'}:`
  // the dashboard gets past the authorizer with a key made now (like the console's test client)
  const access = dashboardOn ? createDashboardAccess(arnPrefix, (origin) => guard.isOwnOrigin(origin)) : undefined
  const authorizer = options.authorizer
  const sessions = new Sessions()
  const receiveRules = new ReceiveRules(sessions)
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
    sessions,
    receiveRules,
    quotas: new QuotaChecks(quotas),
    lifecycle: new Lifecycle(() => aedesRef!, events),
    aedes: () => aedesRef!,
  }
  const aedes = await Aedes.createBroker({
    ...createIotHooks(ctx),
    preConnect: noteEmptyPersistentClientId,
    maxClientsIdLength: 65535,
    // IoT's MQTT 5 limits, announced in CONNACK (0: not announced, no limit)
    topicAliasMaximum: finiteOrZero(quotas.topicAliasMaximum),
    receiveMaximum: finiteOrZero(quotas.receiveMaximum),
    maximumPacketSize: finiteOrZero(quotas.maximumPacketSize),
    // a longer Session Expiry Interval asked for is cut to the account's, and CONNACK says so
    sessionExpiryIntervalLimit: quotas.sessionExpirySeconds,
    connectTimeout: options.testing?.connectTimeoutMs ?? IOT_LIMITS.connectTimeoutMs,
  })
  aedesRef = aedes
  const counters = { in: 0, out: 0 }
  adaptBroker(
    aedes,
    () => counters.out++,
    (clientId, filter, topic) => receiveRules.storesOffline(clientId, filter, topic),
  )
  receiveRules.watch(aedes)
  wireLifecycle(aedes, ctx)
  const retained = new RetainedIndex(aedes)
  ctx.quotas.countRetained(retained)
  aedes.on('unsubscribe', (topics, client) => ctx.quotas.unsubscribed(client, topics))
  const stopSessionQuotas = enforceSessionQuotas(aedes, ctx, quotas)
  startRules(aedes, rules, logger)
  aedes.on('publish', (packet) => {
    if (!packet.topic.startsWith('$SYS/')) counters.in++
  })

  const outgoingLimits: OutgoingLimits = { ...DEFAULT_OUTGOING_LIMITS, ...options.outgoing }
  const sockets = new Set<Socket | Duplex>()
  const track = (stream: Socket | Duplex): void => {
    sockets.add(stream)
    stream.once('close', () => sockets.delete(stream))
  }
  const handle = (stream: Socket | Duplex, req?: IncomingMessage): Client => {
    track(stream)
    return handleConnection(aedes, stream, req, ctx, outgoingLimits)
  }
  const pending = guardPendingConnection(options.pending, ctx)
  aedes.on('connackSent', (packet, client) => {
    if (packet.returnCode === 0) pending.accepted(client)
  })

  const routes: HttpRoute[] = [
    ...(options.routes ?? []),
    ...(devIssuer ? devIdentityRoutes(devIssuer) : []),
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
  const bearer = bearerCheck(options.httpToken)
  // the rules' own Lambda instances publish through this API too, signed with their own key
  const router = createRouter(routes, (req) => bearer(req) || lambdaCredentials.signs(req))
  // Host on every request (DNS rebinding); Origin on HTTP always (the API has no CORS, so a foreign
  // page has no business here), and on the WebSocket while there is no authorizer to ask
  const httpServer = createHttpServer((req, res) => {
    if (!guard.hostAllowed(req.headers.host)) return sendError(res, 403, 'ForbiddenException', 'Host is not this broker')
    if (!guard.originAllowed(req.headers.origin)) return sendError(res, 403, 'ForbiddenException', 'Origin is not allowed')
    router(req, res)
  })
  const wss = new WebSocketServer({ noServer: true, maxPayload: IOT_LIMITS.maxWebSocketMessageBytes })
  // the same checks on every WebSocket listener (plain and TLS), each with its own port's guard
  const upgradeFor = (guard: RequestGuard) => (req: IncomingMessage, socket: Duplex, head: Buffer) => {
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
    const admitted = pending.admit(socket, () => socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n'), true)
    if (!admitted) return
    wss.handleUpgrade(req, socket, head, (websocket) => {
      admitted.watch(handle(coalescingWebSocketStream(websocket), req))
    })
  }
  httpServer.on('upgrade', upgradeFor(guard))
  const port = await listen(httpServer, options.port ?? 0, host)
  boundPort = port

  // MQTT over TCP and over TLS: the same caps before CONNACK as the WebSocket
  const handleTcp = (socket: Socket | Duplex): void => void pending.admit(socket, () => socket.destroy(), false)?.watch(handle(socket))
  let tcpServer: TcpServer | undefined
  let mqttPort: number | undefined
  if (options.mqttPort !== undefined && options.mqttPort !== false) {
    tcpServer = createTcpServer(handleTcp)
    mqttPort = await listen(tcpServer, options.mqttPort === true ? 0 : options.mqttPort, host)
  }
  const tls: TlsListeners | undefined = tlsOptions
    ? await startTlsListeners(tlsOptions, { host, path, logger, onMqtt: handleTcp, guardFor, upgradeFor }).catch(async (error: unknown) => {
        // e.g. the TLS port is taken: free what already listens before reporting it
        await new Promise<void>((resolve) => aedes.close(() => resolve()))
        await Promise.all([closeServer(httpServer), tcpServer && closeServer(tcpServer)])
        throw error
      })
    : undefined

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
    ...(tls ? { tls: tls.endpoints } : {}),
    aedes,
    httpServer,
    authorization: ctx.authorizer !== undefined,
    ...(devIssuer ? { devIdentity: { issuer: devIssuer.issuer(), audience: DEV_AUDIENCE } } : {}),
    events,
    connections,
    subscriptionCount,
    close() {
      closing ??= (async () => {
        // first, so the disconnects this close causes start no Lambda; running ones finish meanwhile
        const runnersClosed = Promise.all(rules.flatMap((rule) => (rule.runner ? [rule.runner.close()] : [])))
        ctx.sessions.clear()
        stopSessionQuotas()
        for (const client of wss.clients) client.terminate()
        for (const socket of sockets) socket.destroy()
        await new Promise<void>((resolve) => aedes.close(() => resolve()))
        httpServer.closeAllConnections()
        await Promise.all([closeServer(httpServer), tcpServer && closeServer(tcpServer), tls?.close()])
        wss.close()
        await runnersClosed
      })()
      return closing
    },
  }
}

const finiteOrZero = (n: number): number => (Number.isFinite(n) ? n : 0)

function startDevIssuer(option: BrokerOptions['devIdentity'], issuer: () => string): Promise<DevIssuer | undefined> {
  if (option === undefined || option === false) return Promise.resolve(undefined)
  return createDevIssuer(issuer, option === true ? undefined : option.tokenTtlSeconds)
}
