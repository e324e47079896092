import { writeFile } from 'node:fs/promises'
import { createServer as createHttpServer, type IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls'
import type { RequestGuard } from '../http/request-guard.js'
import { sendError } from '../http/router.js'
import type { BrokerLogger } from '../logger.js'
import { closeServer, listen } from '../servers.js'
import { DEV_CERT_NAMES } from './dev-ca.js'
import type { ResolvedTls } from './tls-options.js'

/**
 * ALPN names IoT Core's port 443 takes as MQTT over TLS: `mqtt` for custom authentication (what the
 * Device SDK's `with_custom_authorizer` asks), `x-amzn-mqtt-ca` for X.509 client certificates (here
 * the authorizer decides as for any connection: the stand-in does not check client certificates).
 */
const MQTT_ALPN = ['mqtt', 'x-amzn-mqtt-ca'] as const
const isMqttAlpn = (name: string | false | null): boolean => typeof name === 'string' && (MQTT_ALPN as readonly string[]).includes(name)

/** Time a client has to finish the TLS handshake (the CONNECT timeout starts after it). */
const HANDSHAKE_TIMEOUT_MS = 10_000

/** What the running broker reports of its TLS listeners. */
export interface TlsEndpoints {
  /** MQTT over TLS, e.g. `mqtts://127.0.0.1:41235`. */
  readonly mqttUrl: string
  /** Port of the MQTT over TLS listener. */
  readonly mqttPort: number
  /** MQTT over WebSocket over TLS, e.g. `wss://127.0.0.1:41236/mqtt`. */
  readonly wssUrl: string
  /** Port of the WebSocket over TLS listener. */
  readonly wssPort: number
  /** Certificate of the CA clients must trust (PEM, public), when known. */
  readonly caCertificate?: string
  /** File the CA certificate was written to, when asked. */
  readonly caFile?: string
  /** True when the broker made a development CA for this run. */
  readonly devCa: boolean
}

/** The broker's TLS listeners, to report and close. */
export interface TlsListeners {
  readonly endpoints: TlsEndpoints
  close(): Promise<void>
}

/** How the broker hands connections to the TLS listeners: its MQTT handler and its WebSocket upgrade. */
export interface TlsWiring {
  host: string
  path: string
  logger: BrokerLogger
  /** A MQTT connection (decrypted TLS socket) for aedes. */
  onMqtt(socket: TLSSocket): void
  /** The broker's Host/Origin guard for a listener on `port`. */
  guardFor(port: () => number): RequestGuard
  /** The broker's WebSocket upgrade handler, checking with `guard`. */
  upgradeFor(guard: RequestGuard): (req: IncomingMessage, socket: Duplex, head: Buffer) => void
}

/**
 * Starts MQTT over TLS and MQTT over WSS on ports of their own. The WSS port does what IoT's 443
 * does: HTTP/1.1 (the WebSocket) by default, MQTT when the client asks ALPN {@link MQTT_ALPN}.
 * Plain HTTP requests there get 404: the Data Plane API and dashboard stay on the plain port.
 */
export async function startTlsListeners(tls: ResolvedTls, wiring: TlsWiring): Promise<TlsListeners> {
  const { cert, key, ca } = tls.credentials
  const sockets = new Set<Socket>()
  const track = (server: TlsServer): TlsServer => {
    server.on('connection', (socket: Socket) => {
      sockets.add(socket)
      socket.once('close', () => sockets.delete(socket))
    })
    return server
  }
  const secure = { cert, key, handshakeTimeout: HANDSHAKE_TIMEOUT_MS }
  const mqttServer = track(createTlsServer({ ...secure, ALPNProtocols: [...MQTT_ALPN] }, (socket) => wiring.onMqtt(socket)))

  let wssPort = 0
  const guard = hostWithoutPortIsOurs(
    wiring.guardFor(() => wssPort),
    () => wssPort,
  )
  const http = createHttpServer((req, res) => {
    if (!guard.hostAllowed(req.headers.host)) return sendError(res, 403, 'ForbiddenException', 'Host is not this broker')
    sendError(res, 404, 'NotFoundException', `this port serves MQTT over WSS at ${wiring.path} only`)
  })
  http.on('upgrade', wiring.upgradeFor(guard))
  const wssServer = track(
    createTlsServer({ ...secure, ALPNProtocols: ['http/1.1', ...MQTT_ALPN] }, (socket) => {
      if (isMqttAlpn(socket.alpnProtocol)) wiring.onMqtt(socket)
      else http.emit('connection', socket)
    }),
  )

  let mqttPort: number
  try {
    mqttPort = await listen(mqttServer, tls.mqttPort, wiring.host)
    wssPort = await listen(wssServer, tls.wssPort, wiring.host)
    if (tls.caFile !== undefined && ca !== undefined) await writeFile(tls.caFile, ca, { mode: 0o644 })
  } catch (error) {
    await Promise.all([mqttServer, wssServer].filter((s) => s.listening).map((s) => closeServer(s)))
    throw error
  }

  const urlHost = wiring.host.includes(':') ? `[${wiring.host}]` : wiring.host
  const endpoints: TlsEndpoints = {
    mqttUrl: `mqtts://${urlHost}:${mqttPort}`,
    mqttPort,
    wssUrl: `wss://${urlHost}:${wssPort}${wiring.path}`,
    wssPort,
    ...(ca !== undefined ? { caCertificate: ca } : {}),
    ...(tls.caFile !== undefined ? { caFile: tls.caFile } : {}),
    devCa: tls.devCa,
  }
  for (const line of trustHints(endpoints)) wiring.logger.info(line)
  return {
    endpoints,
    async close() {
      for (const socket of sockets) socket.destroy()
      await Promise.all([closeServer(mqttServer), closeServer(wssServer)])
    },
  }
}

/**
 * The AWS Common Runtime's WebSocket handshake names the host without a port (`Host: localhost`:
 * IoT's WSS is on 443, the default). Such a Host is read as naming this listener's port; the name
 * is still checked (DNS rebinding), and a page on another name could not pass TLS verification anyway.
 */
function hostWithoutPortIsOurs(guard: RequestGuard, port: () => number): RequestGuard {
  const hasPort = (host: string): boolean => /:\d+$/.test(host)
  return { ...guard, hostAllowed: (host) => guard.hostAllowed(host !== undefined && !hasPort(host) ? `${host}:${port()}` : host) }
}

/** How to make clients trust the certificate: printed at start, also by the CLI. */
export function trustHints(endpoints: TlsEndpoints): string[] {
  const file = endpoints.caFile ?? '<ca.pem>'
  const names = [...DEV_CERT_NAMES.dns, ...DEV_CERT_NAMES.ip].join(', ')
  return [
    `TLS: MQTT over TLS ${endpoints.mqttUrl}, MQTT over WSS ${endpoints.wssUrl}`,
    ...(endpoints.devCa
      ? [
          `TLS: development CA made for this run (its private key is never kept); server certificate for ${names}`,
          endpoints.caFile ? `TLS: CA certificate written to ${file}` : 'TLS: write the CA certificate with tls.caFile / --tls-ca-file to trust it',
        ]
      : []),
    `TLS: trust it in Node with NODE_EXTRA_CA_CERTS=${file}, in the AWS IoT Device SDK v2 with ` +
      `with_certificate_authority_from_path(undefined, '${file}'), in mosquitto_sub with --cafile ${file}`,
  ]
}
