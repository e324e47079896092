// 1. Throughput overhead. A raw MQTT.js `message` handler that JSON.parses versus a livetopic topic
// store, each draining N ~100-byte JSON messages over WebSocket from the same Mosquitto, alternated,
// median of the runs. So that the receiving client (not the publisher or the broker) sets the pace,
// the messages are queued first in the subscriber's stored session (clean=false) by a TCP publisher
// in a child process, then the subscriber connects and the time from first to last arrival is taken.
import mqtt from 'mqtt'
import { createClient } from '@livetopic/core'
import { startMosquitto } from './lib/mosquitto.js'
import { startPublisher, type Publisher } from './lib/publisher.js'
import { main, SHORT, type BenchRow } from './lib/result.js'
import { median, round } from './lib/stats.js'

const COUNT = Number(process.env.BENCH_COUNT) || (SHORT ? 5_000 : 100_000)
const RUNS = SHORT ? 1 : 5
const QUIET_MS = 2000

interface Run { rate: number; lost: number; cpuPerMessage: number }

/** Counts arrivals; resolves with msgs/s between the first and the last one, at `count` or after quiet. */
function meter(count: number): { tick(): void; done: Promise<Run> } {
  let received = 0
  let first = 0
  let last = 0
  let cpu = process.cpuUsage()
  let finish!: (run: Run) => void
  const done = new Promise<Run>((resolve) => (finish = resolve))
  const end = (): void => {
    clearInterval(watch)
    const used = process.cpuUsage(cpu)
    finish({
      rate: received > 1 ? ((received - 1) * 1000) / (last - first) : 0,
      lost: count - received,
      // CPU this process spent per message (µs): the client's own cost, whatever the broker's pace
      cpuPerMessage: received > 1 ? (used.user + used.system) / (received - 1) : 0,
    })
  }
  // messages lost on the way must not hang the benchmark
  let seen = -1
  const watch = setInterval(() => {
    if (received === seen) end()
    seen = received
  }, QUIET_MS)
  return {
    tick() {
      last = performance.now()
      if (received++ === 0) {
        first = last
        cpu = process.cpuUsage()
      }
      if (received === count) end()
    },
    done,
  }
}

/** Leaves a stored session subscribed to `topic` on the broker, then fills it with the messages. */
async function preload(tcpUrl: string, publisher: Publisher, clientId: string, topic: string, qos: 0 | 1): Promise<void> {
  const setup = await mqtt.connectAsync(tcpUrl, { clientId, clean: false, reconnectPeriod: 0 })
  await setup.subscribeAsync(topic, { qos: 1 })
  await setup.endAsync()
  await publisher.publish(topic, COUNT, qos)
}

async function rawRun(wsUrl: string, clientId: string, topic: string): Promise<Run> {
  const m = meter(COUNT)
  let sink = 0
  const client = mqtt.connect(wsUrl, { clientId, clean: false, reconnectPeriod: 0 })
  client.on('message', (name, payload) => {
    if (name !== topic) return
    sink += (JSON.parse(payload.toString()) as { seq: number }).seq
    m.tick()
  })
  const run = await m.done
  await client.endAsync(true)
  return { ...run, rate: sink >= 0 ? run.rate : 0 }
}

async function livetopicRun(wsUrl: string, clientId: string, topic: string, qos: 0 | 1): Promise<Run> {
  const m = meter(COUNT)
  const client = createClient({ url: wsUrl, clientId, clean: false, unsubscribeDelay: 0 })
  const stop = client.topic<{ seq: number }>(topic, { qos }).listen((state) => {
    if (state.message) m.tick()
  })
  const run = await m.done
  stop()
  await client.close()
  return run
}

main(async () => {
  const broker = await startMosquitto(process.env.BENCH_INFLIGHT ? [`max_inflight_messages ${process.env.BENCH_INFLIGHT}`] : [])
  const publisher = await startPublisher(broker.tcpUrl)
  const rows: BenchRow[] = []
  try {
    for (const qos of [0, 1] as const) {
      const raw: Run[] = []
      const live: Run[] = []
      // run 0 warms the JIT for both and is not counted
      for (let i = SHORT ? 1 : 0; i <= RUNS; i++) {
        // alternate which goes first, so drift on a shared machine hits both alike
        for (const which of i % 2 === 0 ? ['raw', 'live'] : ['live', 'raw']) {
          const clientId = `bench-sub-${qos}-${i}-${which}`
          const topic = `bench/throughput/${qos}/${i}/${which}`
          await preload(broker.tcpUrl, publisher, clientId, topic, qos)
          const run = which === 'raw' ? await rawRun(broker.wsUrl, clientId, topic) : await livetopicRun(broker.wsUrl, clientId, topic, qos)
          if (i > 0) (which === 'raw' ? raw : live).push(run)
        }
      }
      const rawRate = median(raw.map((r) => r.rate))
      const liveRate = median(live.map((r) => r.rate))
      const rawCpu = median(raw.map((r) => r.cpuPerMessage))
      const liveCpu = median(live.map((r) => r.cpuPerMessage))
      const lost = Math.max(...raw.map((r) => r.lost), ...live.map((r) => r.lost))
      const note = `Mosquitto 2.0.11, ${COUNT} msgs, median of ${RUNS}${lost > 0 ? `, up to ${lost} lost in a run` : ''}`
      rows.push(
        { bench: 'throughput', metric: `QoS ${qos} raw MQTT.js + JSON.parse`, value: round(rawRate), unit: 'msg/s', note },
        { bench: 'throughput', metric: `QoS ${qos} livetopic topic store`, value: round(liveRate), unit: 'msg/s', note },
        { bench: 'throughput', metric: `QoS ${qos} livetopic ÷ raw`, value: round(liveRate / rawRate), unit: 'ratio', target: '≥ 0.95', ok: liveRate / rawRate >= 0.95, note },
        { bench: 'throughput', metric: `QoS ${qos} CPU per message, raw`, value: round(rawCpu), unit: 'µs', note },
        { bench: 'throughput', metric: `QoS ${qos} CPU per message, livetopic`, value: round(liveCpu), unit: 'µs', note },
        { bench: 'throughput', metric: `QoS ${qos} CPU per message, raw ÷ livetopic`, value: round(rawCpu / liveCpu), unit: 'ratio', note: `${note}; the client's own cost: ≥ 0.95 would mean ≤ 5% overhead` },
      )
    }
  } finally {
    publisher.close()
    await broker.close()
  }
  return rows
})
