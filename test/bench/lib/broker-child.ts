// @livetopic/broker in its own process, as Mosquitto is, so that it does not share an event loop
// with the clients being measured. Prints its WebSocket URL on stdout, exits when stdin closes.
import { startBroker } from '@livetopic/broker'

const broker = await startBroker()
process.stdout.write(`${JSON.stringify({ url: broker.url })}\n`)
process.stdin.resume()
process.stdin.on('end', () => {
  void broker.close().then(() => process.exit(0))
})
