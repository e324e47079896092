import { DEFAULT_BROKER_PORT } from './config.js'

/** Where the dev broker listens, as the Vite plugin and the scripts see it. */
export interface BrokerEndpoint {
  /** MQTT over WebSocket, e.g. `ws://127.0.0.1:8080/mqtt`. */
  url: string
  /** HTTP base of the IoT Data Plane API, e.g. `http://127.0.0.1:8080`. */
  httpUrl: string
  /** Port to start the broker on, or undefined when it runs elsewhere (`LIVETOPIC_BROKER_URL`). */
  port?: number
}

/**
 * Reads the endpoint from the environment: `LIVETOPIC_PORT` (default 8080) for a broker started
 * here, or `LIVETOPIC_BROKER_URL` + `LIVETOPIC_BROKER_HTTP_URL` for one started elsewhere (the e2e
 * tests start and restart their own).
 */
export function brokerEndpoint(env: Record<string, string | undefined> = process.env): BrokerEndpoint {
  const external = env.LIVETOPIC_BROKER_URL
  if (external) {
    const httpUrl = env.LIVETOPIC_BROKER_HTTP_URL ?? external.replace(/^ws/, 'http').replace(/\/mqtt$/, '')
    return { url: external, httpUrl }
  }
  const port = Number(env.LIVETOPIC_PORT ?? DEFAULT_BROKER_PORT)
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`LIVETOPIC_PORT must be a port number, got "${env.LIVETOPIC_PORT}"`)
  return { url: `ws://127.0.0.1:${port}/mqtt`, httpUrl: `http://127.0.0.1:${port}`, port }
}

/**
 * The telemetry device's secret on the local broker: `LIVETOPIC_DEVICE_TOKEN`, or a fixed local one.
 * Node only (the dev server and `npm run telemetry`), never in page code; the deployed Lambda
 * reads `LIVETOPIC_DEVICE_TOKEN` alone and admits no device without it.
 */
export const localDeviceToken = (env: Record<string, string | undefined> = process.env): string => env.LIVETOPIC_DEVICE_TOKEN || 'local-telemetry-device'
