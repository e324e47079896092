import { createClient } from '@livetopic/core'
import { iotCustomAuthorizer } from '@livetopic/core/aws'
import { WebSocket } from 'ws'
import { localDeviceToken } from './broker-env.js'
import { AUTHORIZER_NAME, topics, type TelemetrySample } from './config.js'

/** A running telemetry device. */
export interface TelemetryDevice {
  /** Samples published so far. */
  readonly sent: number
  stop(): Promise<void>
}

/**
 * A device publishing a random walk at `rate` samples/s on the telemetry topic, over MQTT through
 * the custom authorizer (its secret's policy allows `telemetry/*` only). Samples are live data:
 * while disconnected they are dropped rather than queued.
 */
export function startTelemetryDevice(brokerUrl: string, rate = 50, onStatus?: (line: string) => void, deviceToken = localDeviceToken()): TelemetryDevice {
  const device = createClient({
    url: iotCustomAuthorizer({ endpoint: brokerUrl, authorizerName: AUTHORIZER_NAME, token: deviceToken }),
    clientId: `telemetry-${Math.random().toString(36).slice(2, 8)}`,
    // a Node process: Node 20 has no global WebSocket
    WebSocket,
  })
  const unlisten = device.status.listen((state) => {
    if (state.status === 'connected') onStatus?.(`publishing ${rate} msg/s on ${topics.telemetry}`)
    else if (state.error) onStatus?.(`${state.status}: ${state.error.message}`)
  })
  device.connect()
  let seq = 0
  let value = 40
  const timer = setInterval(() => {
    if (device.status.get().status !== 'connected') return
    value = Math.min(100, Math.max(0, value + (Math.random() - 0.5) * 8))
    const sample: TelemetrySample = { seq: ++seq, value: Math.round(value * 10) / 10, at: Date.now() }
    device.publish(topics.telemetry, sample).catch((error: Error) => onStatus?.(error.message))
  }, 1000 / rate)
  return {
    get sent() {
      return seq
    },
    async stop() {
      clearInterval(timer)
      unlisten()
      await device.close()
    },
  }
}
