// npm run telemetry: a device publishing ~50 samples/s over MQTT, through the custom authorizer
import { brokerEndpoint } from '../broker-env.js'
import { startTelemetryDevice } from '../telemetry-device.js'

const rate = Number(process.env.TELEMETRY_RATE ?? 50)
process.stdout.write('telemetry: Ctrl-C to stop\n')
const device = startTelemetryDevice(brokerEndpoint().url, rate, (line) => process.stdout.write(`telemetry: ${line}\n`))

const stop = (): void => {
  void device.stop().then(() => {
    process.stdout.write(`telemetry: sent ${device.sent} samples\n`)
    process.exit(0)
  })
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
