// 1. Receive throughput. A raw MQTT.js `message` handler that JSON.parses versus a livetopic topic
// store on each transport (the built-in one, and MQTT.js through @livetopic/core/mqtt), each
// draining N ~100-byte JSON messages over WebSocket from the same Mosquitto, alternated, median of
// the runs. So that the receiving client (not the publisher or the broker) sets the pace,
// the messages are queued first in the subscriber's stored session (clean=false) by a TCP publisher
// in a child process, then the subscriber connects and the time from first to last arrival is taken.
import mqtt from 'mqtt'
import { within } from './lib/deadline.js'
import { startMosquitto } from './lib/mosquitto.js'
import { startPublisher, type Publisher } from './lib/publisher.js'
import { contenderRows, receive, rotate, type Contender, type Run } from './lib/receivers.js'
import { main, SHORT, type BenchRow } from './lib/result.js'

const COUNT = Number(process.env.BENCH_COUNT) || (SHORT ? 5_000 : 100_000)
const RUNS = SHORT ? 1 : 5
// per phase: generous for a shared machine, short of a hang
const SETUP_MS = 30_000
const DRAIN_MS = 120_000

/** Leaves a stored session subscribed to `topic` on the broker, then fills it with the messages. */
async function preload(tcpUrl: string, publisher: Publisher, clientId: string, topic: string, qos: 0 | 1): Promise<void> {
  await within(`the stored session of ${clientId} to be set up`, SETUP_MS, async () => {
    const setup = await mqtt.connectAsync(tcpUrl, { clientId, clean: false, reconnectPeriod: 0 })
    await setup.subscribeAsync(topic, { qos: 1 })
    await setup.endAsync()
  })
  await within(`the publisher child to route ${COUNT} messages to ${topic}`, DRAIN_MS, publisher.publish(topic, COUNT, qos))
}

main(async () => {
  const broker = await within(
    'Mosquitto to start',
    SETUP_MS,
    startMosquitto(process.env.BENCH_INFLIGHT ? [`max_inflight_messages ${process.env.BENCH_INFLIGHT}`] : []),
  )
  const publisher = await within('the publisher child to connect', SETUP_MS, startPublisher(broker.tcpUrl))
  const rows: BenchRow[] = []
  try {
    for (const qos of [0, 1] as const) {
      const runs: Record<Contender, Run[]> = { raw: [], builtin: [], mqttjs: [] }
      const order: Contender[] = ['raw', 'builtin', 'mqttjs']
      // run 0 warms the JIT for all and is not counted
      for (let i = SHORT ? 1 : 0; i <= RUNS; i++) {
        // rotate which goes first, so drift on a shared machine hits all alike
        for (const which of rotate(order, i)) {
          const clientId = `bench-sub-${qos}-${i}-${which}`
          const topic = `bench/throughput/${qos}/${i}/${which}`
          await preload(broker.tcpUrl, publisher, clientId, topic, qos)
          // the stored session is subscribed already: raw MQTT.js only connects
          const reception = { url: broker.wsUrl, clientId, topic, count: COUNT, qos, subscribe: false }
          const run = await receive(which, { ...reception, drainMs: DRAIN_MS, closeMs: SETUP_MS })
          if (i > 0) runs[which].push(run)
        }
      }
      const lost = Math.max(
        ...Object.values(runs)
          .flat()
          .map((r) => r.lost),
      )
      const losses = lost > 0 ? `, up to ${lost} lost in a run` : ''
      const note = `Mosquitto 2.0.11, ${COUNT} msgs, median of ${RUNS}${losses}`
      rows.push(...contenderRows('throughput', `QoS ${qos}`, runs, note))
    }
  } finally {
    publisher.close()
    await broker.close()
  }
  return rows
})
