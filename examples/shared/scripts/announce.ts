// npm run announce -- "text": a server announcement through the IoT Data Plane HTTP API (AWS SDK)
import { brokerEndpoint } from '../broker-env.js'
import { announce, dataPlaneClient } from '../backend.js'

const text = process.argv.slice(2).join(' ').trim()
if (!text) {
  process.stderr.write('Usage: npm run announce -- "Your announcement"\n')
  process.exit(2)
}
const { httpUrl } = brokerEndpoint()
const client = dataPlaneClient(httpUrl)
try {
  await announce(client, text)
  process.stdout.write(`announced on ${httpUrl} (retained): ${text}\n`)
} catch (error) {
  process.stderr.write(`could not publish to ${httpUrl}: ${(error as Error).message}\nIs the example running (npm run dev)?\n`)
  process.exitCode = 1
} finally {
  client.destroy()
}
