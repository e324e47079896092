// @livetopic/broker in its own process, as Mosquitto is, so that it does not share an event loop
// with the clients being measured. Prints its WebSocket URL on stdout, exits when stdin closes.
// BROKER_PORT picks the port (a restart reuses it). Stdin lines are commands: `drop <clientId>`
// closes that client's connection from the broker side (as a network drop would).
import { createInterface } from 'node:readline'
import { startBroker } from '@livetopic/broker'
import { traceBroker } from './broker-trace.js'

// no dashboard: the benchmark needs only MQTT (and the bundle lives away from the dashboard files)
const broker = await startBroker({
  dashboard: false,
  port: Number(process.env.BROKER_PORT ?? 0),
  logger: 'silent',
  // the benchmarks load the broker far past IoT's per-connection rates (one publisher feeds 100k deliveries/s)
  quotas: { publishesPerSecondPerConnection: Infinity, connectsPerSecondPerClientId: Infinity, subscriptionsPerConnection: Infinity },
})
process.stdout.write(`${JSON.stringify({ url: broker.url, port: broker.port })}\n`)
const endTrace = process.env.BENCH_TRACE ? traceBroker(broker.aedes, process.env.BENCH_TRACE) : undefined
const clients = (broker.aedes as unknown as { clients: Record<string, { close(): void } | undefined> }).clients
const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  const [command, id] = line.split(' ')
  if (command === 'drop' && id) clients[id]?.close()
})
const reasons = new Map<string, number>()
if (process.env.BENCH_DEBUG) {
  broker.events.on('lifecycle', (e) => {
    const r = e.payload.disconnectReason
    if (typeof r === 'string') reasons.set(r, (reasons.get(r) ?? 0) + 1)
  })
  broker.aedes.on('clientError', (_c, err) => reasons.set(`clientError ${err.message}`, (reasons.get(`clientError ${err.message}`) ?? 0) + 1))
  broker.aedes.on('connectionError', (_c, err) => reasons.set(`connectionError ${err.message}`, (reasons.get(`connectionError ${err.message}`) ?? 0) + 1))
}
// resumes that never reached clientReady (their stored queue never drained): live deliveries stay held
const resuming = new Set<unknown>()
if (process.env.BENCH_DEBUG) {
  const preConnect = broker.aedes.preConnect.bind(broker.aedes)
  broker.aedes.preConnect = (client, packet, callback) => {
    if (!packet.clean) resuming.add(client)
    preConnect(client, packet, callback)
  }
  broker.aedes.on('clientReady', (client) => resuming.delete(client))
}
lines.on('close', () => {
  if (process.env.BENCH_DEBUG) {
    const stuck = Object.values(clients).filter((c) => resuming.has(c)).length
    console.error('broker', process.pid, Object.fromEntries(reasons), `${stuck} connected clients whose resume never reached clientReady`)
  }
  void broker
    .close()
    .then(() => endTrace?.())
    .then(() => process.exit(0))
})
