// 1. Receive throughput. A raw MQTT.js `message` handler that JSON.parses versus a livetopic topic
// store on each transport (the built-in one, and MQTT.js through @livetopic/core/mqtt), each
// draining N ~100-byte JSON messages over WebSocket from the same Mosquitto, alternated, median of
// the runs. So that the receiving client (not the publisher or the broker) sets the pace,
// the messages are queued first in the subscriber's stored session (clean=false) by a TCP publisher
// in a child process, then the subscriber connects and the time from first to last arrival is taken.
import mqtt from 'mqtt'
import { createClient } from '@livetopic/core'
import { mqttTransport } from '@livetopic/core/mqtt'
import { WebSocket } from 'ws'
import { within } from './lib/deadline.js'
import { startMosquitto } from './lib/mosquitto.js'
import { startPublisher, type Publisher } from './lib/publisher.js'
import { main, SHORT, type BenchRow } from './lib/result.js'
import { median, round } from './lib/stats.js'

const COUNT = Number(process.env.BENCH_COUNT) || (SHORT ? 5_000 : 100_000)
const RUNS = SHORT ? 1 : 5
const QUIET_MS = 2000
// per phase: generous for a shared machine, short of a hang
const SETUP_MS = 30_000
const DRAIN_MS = 120_000

interface Run {
  rate: number
  lost: number
  cpuPerMessage: number
}

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
  await within(`the stored session of ${clientId} to be set up`, SETUP_MS, async () => {
    const setup = await mqtt.connectAsync(tcpUrl, { clientId, clean: false, reconnectPeriod: 0 })
    await setup.subscribeAsync(topic, { qos: 1 })
    await setup.endAsync()
  })
  await within(`the publisher child to route ${COUNT} messages to ${topic}`, DRAIN_MS, publisher.publish(topic, COUNT, qos))
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
  const run = await within(`${COUNT} messages on raw MQTT.js`, DRAIN_MS, m.done)
  await within('raw MQTT.js to close', SETUP_MS, client.endAsync(true))
  return { ...run, rate: sink >= 0 ? run.rate : 0 }
}

type Contender = 'raw' | 'builtin' | 'mqttjs'

async function livetopicRun(wsUrl: string, clientId: string, topic: string, qos: 0 | 1, transport: 'builtin' | 'mqttjs'): Promise<Run> {
  const m = meter(COUNT)
  // Node 20 has no global WebSocket: the built-in transport gets `ws`'s, as MQTT.js uses in Node
  const client = createClient({
    url: wsUrl,
    clientId,
    clean: false,
    unsubscribeDelay: 0,
    ...(transport === 'builtin' ? { WebSocket } : { transport: mqttTransport }),
  })
  const stop = client.topic<{ seq: number }>(topic, { qos }).listen((state) => {
    if (state.message) m.tick()
  })
  const run = await within(`${COUNT} messages on livetopic (${transport})`, DRAIN_MS, m.done)
  stop()
  await within(`livetopic (${transport}) to close`, SETUP_MS, client.close())
  return run
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
        for (const which of [...order.slice(i % 3), ...order.slice(0, i % 3)]) {
          const clientId = `bench-sub-${qos}-${i}-${which}`
          const topic = `bench/throughput/${qos}/${i}/${which}`
          await preload(broker.tcpUrl, publisher, clientId, topic, qos)
          const run = which === 'raw' ? await rawRun(broker.wsUrl, clientId, topic) : await livetopicRun(broker.wsUrl, clientId, topic, qos, which)
          if (i > 0) runs[which].push(run)
        }
      }
      const rate = (w: Contender): number => median(runs[w].map((r) => r.rate))
      const cpu = (w: Contender): number => median(runs[w].map((r) => r.cpuPerMessage))
      const lost = Math.max(
        ...Object.values(runs)
          .flat()
          .map((r) => r.lost),
      )
      const note = `Mosquitto 2.0.11, ${COUNT} msgs, median of ${RUNS}${lost > 0 ? `, up to ${lost} lost in a run` : ''}`
      rows.push(
        { bench: 'throughput', metric: `QoS ${qos} raw MQTT.js + JSON.parse`, value: round(rate('raw')), unit: 'msg/s', note },
        { bench: 'throughput', metric: `QoS ${qos} livetopic, built-in transport`, value: round(rate('builtin')), unit: 'msg/s', note },
        { bench: 'throughput', metric: `QoS ${qos} livetopic, MQTT.js transport`, value: round(rate('mqttjs')), unit: 'msg/s', note },
        {
          bench: 'throughput',
          metric: `QoS ${qos} built-in ÷ raw MQTT.js`,
          value: round(rate('builtin') / rate('raw')),
          unit: 'ratio',
          target: '≥ 1.2',
          ok: rate('builtin') / rate('raw') >= 1.2,
          note,
        },
        {
          bench: 'throughput',
          metric: `QoS ${qos} livetopic on MQTT.js ÷ raw`,
          value: round(rate('mqttjs') / rate('raw')),
          unit: 'ratio',
          target: '≥ 0.95',
          ok: rate('mqttjs') / rate('raw') >= 0.95,
          note,
        },
        { bench: 'throughput', metric: `QoS ${qos} CPU per message, raw`, value: round(cpu('raw')), unit: 'µs', note },
        {
          bench: 'throughput',
          metric: `QoS ${qos} CPU per message, built-in`,
          value: round(cpu('builtin')),
          unit: 'µs',
          target: '≤ raw',
          ok: cpu('builtin') <= cpu('raw'),
          note,
        },
        { bench: 'throughput', metric: `QoS ${qos} CPU per message, livetopic on MQTT.js`, value: round(cpu('mqttjs')), unit: 'µs', note },
      )
    }
  } finally {
    publisher.close()
    await broker.close()
  }
  return rows
})
