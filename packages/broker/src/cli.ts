#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { startBroker } from './start-broker.js'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    'mqtt-port': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
})

if (values.help) {
  process.stdout.write('Usage: livetopic-broker [--port 8080] [--host 127.0.0.1] [--mqtt-port 1883]\n')
  process.exit(0)
}

const broker = await startBroker({
  port: Number(values.port),
  host: values.host,
  ...(values['mqtt-port'] ? { mqttPort: Number(values['mqtt-port']) } : {}),
})
process.stdout.write(`livetopic broker\n  MQTT over WebSocket: ${broker.url}\n`)
if (broker.mqttPort) process.stdout.write(`  MQTT over TCP:       mqtt://${broker.host}:${broker.mqttPort}\n`)
process.stdout.write('Press Ctrl-C to stop.\n')

const stop = (): void => {
  void broker.close().then(() => process.exit(0))
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
