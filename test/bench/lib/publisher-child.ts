// A raw MQTT.js publisher over TCP in its own process, so publishing does not share the event loop
// of the subscriber being measured. Driven over IPC: { url } once, then { topic, count, qos, size }; answers once the broker routed them all.
import mqtt from 'mqtt'
import { payloadOf } from './payload.js'

interface Job {
  topic: string
  count: number
  qos: 0 | 1
  size: number
}

const SENTINEL_TOPIC = 'bench/sentinel'

let client: mqtt.MqttClient | undefined
process.on('message', (message: { url?: string } & Partial<Job>) => {
  if (message.url) {
    client = mqtt.connect(message.url, { clientId: `bench-pub-${process.pid}`, reconnectPeriod: 0 })
    client.once('connect', () => process.send?.({ ready: true }))
    client.once('error', (error) => process.send?.({ error: error.message }))
    return
  }
  const job = message as Job
  const target = client!
  let acked = 0
  let i = 0
  // write in chunks and yield, so the socket drains instead of buffering 100k packets at once
  const chunk = (): void => {
    const end = Math.min(job.count, i + 500)
    for (; i < end; i++) {
      target.publish(job.topic, payloadOf(i, job.size), { qos: job.qos }, () => {
        // the broker handles one connection's packets in order: once a QoS 1 sentinel sent after
        // the batch is acknowledged, every message of the batch has been routed
        if (++acked === job.count) target.publish(SENTINEL_TOPIC, '', { qos: 1 }, () => process.send?.({ done: true }))
      })
    }
    if (i < job.count) setImmediate(chunk)
  }
  chunk()
})
process.on('disconnect', () => {
  client?.end(true)
  process.exit(0)
})
