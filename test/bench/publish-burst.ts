// Publish burst: N publishes made in one go through a livetopic client (built-in transport) and
// through raw MQTT.js, each over WebSocket to the same Mosquitto, alternated, median of the runs.
// Timed from the first publish call until every publish settled: written (QoS 0) or acknowledged
// by PUBACK (QoS 1). A queue that costs O(n) per publish shows here as a rate that falls with N.
import mqtt from 'mqtt'
import { WebSocket } from 'ws'
import { createClient } from '@livetopic/core'
import { within } from './lib/deadline.js'
import { startMosquitto } from './lib/mosquitto.js'
import { main, SHORT, type BenchRow } from './lib/result.js'
import { median, round } from './lib/stats.js'

const COUNT = Number(process.env.BENCH_COUNT) || (SHORT ? 5_000 : 20_000)
const RUNS = SHORT ? 1 : 3
const TARGET = 1.5
// generous: MQTT.js took about 2 s for 20,000 acknowledged publishes on a busy machine
const CONNECT_MS = 10_000
const BURST_MS = 60_000

type Contender = 'raw' | 'livetopic'

const payloadOf = (i: number): string => JSON.stringify({ seq: i, at: 1_700_000_000_000 + i, text: 'x'.repeat(60) })

/** Runs `publish` COUNT times at once; msgs/s until all `COUNT` settled. */
async function burst(what: string, publish: (i: number, done: () => void) => void): Promise<number> {
  let settled = 0
  let finish!: () => void
  const all = new Promise<void>((resolve) => (finish = resolve))
  const done = (): void => {
    if (++settled === COUNT) finish()
  }
  const started = performance.now()
  for (let i = 0; i < COUNT; i++) publish(i, done)
  await within(`${COUNT} publishes settled (${what})`, BURST_MS, all, () => `${settled} of ${COUNT}`)
  return (COUNT * 1000) / (performance.now() - started)
}

async function rawRun(url: string, topic: string, qos: 0 | 1): Promise<number> {
  const client = await within('MQTT.js to connect', CONNECT_MS, mqtt.connectAsync(url, { reconnectPeriod: 0 }))
  try {
    return await burst(`QoS ${qos}, MQTT.js`, (i, done) => {
      client.publish(topic, payloadOf(i), { qos }, (error) => {
        if (error) throw error
        done()
      })
    })
  } finally {
    await client.endAsync(true)
  }
}

async function livetopicRun(url: string, topic: string, qos: 0 | 1): Promise<number> {
  // Node 20 has no global WebSocket: the built-in transport gets `ws`'s, as MQTT.js uses in Node
  const client = createClient({ url, WebSocket })
  try {
    // the client connects lazily: one publish first, so the burst does not time the connect
    await within('livetopic to connect', CONNECT_MS, client.publish(`${topic}/hello`, 'hello'))
    let failure: unknown
    const rate = await burst(`QoS ${qos}, livetopic`, (i, done) => {
      client.publish(topic, payloadOf(i), { qos }).then(done, (error: unknown) => (failure ??= error))
    })
    if (failure) throw failure as Error
    return rate
  } finally {
    await client.close()
  }
}

main(async () => {
  const broker = await startMosquitto()
  const rows: BenchRow[] = []
  try {
    for (const qos of [0, 1] as const) {
      const runs: Record<Contender, number[]> = { raw: [], livetopic: [] }
      // run 0 warms the JIT for both and is not counted; who goes first alternates
      for (let i = SHORT ? 1 : 0; i <= RUNS; i++) {
        for (const which of (i % 2 ? ['raw', 'livetopic'] : ['livetopic', 'raw']) as Contender[]) {
          const topic = `bench/burst/${qos}/${i}/${which}`
          const rate = which === 'raw' ? await rawRun(broker.wsUrl, topic, qos) : await livetopicRun(broker.wsUrl, topic, qos)
          if (i > 0) runs[which].push(rate)
        }
      }
      const what = qos === 0 ? 'QoS 0 (until written)' : 'QoS 1 (until acknowledged)'
      const note = `Mosquitto, ${COUNT} publishes in one go over WebSocket, median of ${RUNS}`
      const ratio = median(runs.livetopic) / median(runs.raw)
      rows.push(
        { bench: 'publish-burst', metric: `${what} raw MQTT.js`, value: round(median(runs.raw)), unit: 'msg/s', note },
        { bench: 'publish-burst', metric: `${what} livetopic`, value: round(median(runs.livetopic)), unit: 'msg/s', note },
        { bench: 'publish-burst', metric: `${what} livetopic ÷ MQTT.js`, value: round(ratio), unit: 'ratio', target: `≥ ${TARGET}`, ok: ratio >= TARGET, note },
      )
    }
  } finally {
    await broker.close()
  }
  return rows
})
