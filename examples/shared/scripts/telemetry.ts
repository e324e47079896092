// npm run telemetry: a device publishing ~50 samples/s over MQTT, through the custom authorizer
import { createClient } from '@livetopic/core'
import { iotCustomAuthorizer } from '@livetopic/core/aws'
import { brokerEndpoint } from '../broker-env.js'
import { AUTHORIZER_NAME, DEVICE_TOKEN, topics, type TelemetrySample } from '../config.js'

const rate = Number(process.env.TELEMETRY_RATE ?? 50)
const { url } = brokerEndpoint()
const device = createClient({
  url: iotCustomAuthorizer({ endpoint: url, authorizerName: AUTHORIZER_NAME, token: DEVICE_TOKEN }),
  clientId: `telemetry-${process.pid}`,
})

device.status.listen((state) => {
  if (state.status === 'connected') process.stdout.write(`telemetry: publishing ${rate} msg/s on ${topics.telemetry} (Ctrl-C to stop)\n`)
  else if (state.error) process.stderr.write(`telemetry: ${state.status}: ${state.error.message}\n`)
})

// a smooth random walk, so the sparkline has something to draw
let seq = 0
let value = 40
device.connect()
const timer = setInterval(() => {
  // samples are live data: drop them while disconnected rather than queue stale ones
  if (device.status.get().status !== 'connected') return
  value = Math.min(100, Math.max(0, value + (Math.random() - 0.5) * 8))
  const sample: TelemetrySample = { seq: ++seq, value: Math.round(value * 10) / 10, at: Date.now() }
  device.publish(topics.telemetry, sample).catch((error: Error) => process.stderr.write(`telemetry: ${error.message}\n`))
}, 1000 / rate)

const stop = (): void => {
  clearInterval(timer)
  void device.close().then(() => process.exit(0))
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
