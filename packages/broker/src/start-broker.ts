import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http'
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { Aedes } from 'aedes'
import { WebSocketServer, createWebSocketStream } from 'ws'

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
}

/** A running broker; `close()` ends every connection and frees the ports. */
export interface RunningBroker {
  /** WebSocket URL of the MQTT endpoint, e.g. `ws://127.0.0.1:41234/mqtt`. */
  readonly url: string
  /** Base URL of the HTTP server (same port as the WebSocket). */
  readonly httpUrl: string
  readonly host: string
  readonly port: number
  /** Port of the plain MQTT/TCP listener, when asked for. */
  readonly mqttPort?: number
  /** The underlying aedes instance, for inspection in tests. */
  readonly aedes: Aedes
  readonly httpServer: HttpServer
  close(): Promise<void>
}

function listen(server: HttpServer | TcpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

function closeServer(server: HttpServer | TcpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()))
}

/** Starts aedes behind a real WebSocket server (and optionally a TCP listener). MQTT 3.1.1. */
export async function startBroker(options: BrokerOptions = {}): Promise<RunningBroker> {
  const host = options.host ?? '127.0.0.1'
  const path = options.path ?? '/mqtt'
  const aedes = await Aedes.createBroker()
  const sockets = new Set<Socket | Duplex>()
  const track = (stream: Socket | Duplex): void => {
    sockets.add(stream)
    stream.once('close', () => sockets.delete(stream))
  }

  const httpServer = createHttpServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
  })
  const wss = new WebSocketServer({ noServer: true })
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname !== path) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (websocket) => {
      const stream = createWebSocketStream(websocket)
      stream.on('error', () => websocket.terminate())
      track(stream)
      aedes.handle(stream, req)
    })
  })
  const port = await listen(httpServer, options.port ?? 0, host)

  let tcpServer: TcpServer | undefined
  let mqttPort: number | undefined
  if (options.mqttPort !== undefined && options.mqttPort !== false) {
    tcpServer = createTcpServer((socket) => {
      track(socket)
      aedes.handle(socket)
    })
    mqttPort = await listen(tcpServer, options.mqttPort === true ? 0 : options.mqttPort, host)
  }

  const urlHost = host.includes(':') ? `[${host}]` : host
  let closing: Promise<void> | undefined
  return {
    url: `ws://${urlHost}:${port}${path}`,
    httpUrl: `http://${urlHost}:${port}`,
    host,
    port,
    mqttPort,
    aedes,
    httpServer,
    close() {
      closing ??= (async () => {
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
