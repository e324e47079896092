// @livetopic/broker in its own process, as Mosquitto is, so that it does not share an event loop
// with the clients being measured. Prints its WebSocket URL on stdout, exits when stdin closes.
// BROKER_PORT picks the port (a restart reuses it). Stdin lines are commands: `drop <clientId>`
// closes that client's connection from the broker side (as a network drop would).
import { createInterface } from 'node:readline'
import { startBroker } from '@livetopic/broker'

// no dashboard: the benchmark needs only MQTT (and the bundle lives away from the dashboard files)
const broker = await startBroker({ dashboard: false, port: Number(process.env.BROKER_PORT ?? 0), logger: 'silent' })
process.stdout.write(`${JSON.stringify({ url: broker.url, port: broker.port })}\n`)
const clients = (broker.aedes as unknown as { clients: Record<string, { close(): void } | undefined> }).clients
const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  const [command, id] = line.split(' ')
  if (command === 'drop' && id) clients[id]?.close()
})
lines.on('close', () => {
  void broker.close().then(() => process.exit(0))
})
