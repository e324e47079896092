// @livetopic/broker in its own process, as Mosquitto is, so that it does not share an event loop
// with the clients being measured. Prints its WebSocket URL on stdout, exits when stdin closes.
import { startBroker } from '@livetopic/broker'

// no dashboard: the benchmark needs only MQTT (and the bundle lives away from the dashboard files)
const broker = await startBroker({ dashboard: false })
process.stdout.write(`${JSON.stringify({ url: broker.url })}\n`)
process.stdin.resume()
process.stdin.on('end', () => {
  void broker.close().then(() => process.exit(0))
})
