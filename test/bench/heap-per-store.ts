// Heap per topic store: 10,000 topics, one store each with one listener, every SUBSCRIBE granted,
// against the same with raw MQTT.js holding one nanostores atom per topic (its `message` handler
// routing to them), both on one Mosquitto in this process's run. Heap after forced GCs (node
// --expose-gc, V8's code spaces left out) with everything subscribed, minus the heap of the same
// client connected with nothing, divided by the number of topics.
import { getHeapSpaceStatistics } from 'node:v8'
import mqtt from 'mqtt'
import { atom, type WritableAtom } from 'nanostores'
import { WebSocket } from 'ws'
import { createClient } from '@livetopic/core'
import { within } from './lib/deadline.js'
import { startMosquitto } from './lib/mosquitto.js'
import { main, SHORT, type BenchRow } from './lib/result.js'
import { round, sleep } from './lib/stats.js'

const TOPICS = SHORT ? 2_000 : 10_000
const TARGET_BYTES = 1.5 * 1024
const SUBSCRIBE_MS = 60_000
const CONNECT_MS = 10_000

declare const gc: (() => void) | undefined

/** Heap in use after several GCs (FinalizationRegistry callbacks run between them), code spaces left out. */
async function heapUsed(): Promise<number> {
  if (typeof gc !== 'function') throw new Error('run with node --expose-gc')
  for (let i = 0; i < 4; i++) {
    gc()
    await sleep(50)
  }
  const code = getHeapSpaceStatistics()
    .filter((s) => s.space_name.startsWith('code'))
    .reduce((n, s) => n + s.space_used_size, 0)
  return process.memoryUsage().heapUsed - code
}

const topicOf = (run: string, i: number): string => `bench/heap/${run}/${i}/state`

/** Bytes per topic with livetopic: one `client.topic()` store and one listener per topic. */
async function livetopicPerTopic(url: string, run: string): Promise<number> {
  const client = createClient({ url, WebSocket })
  const stops: (() => void)[] = []
  try {
    // connected, and every path compiled, before the baseline
    await within('livetopic to connect', CONNECT_MS, client.publish(`bench/heap/${run}/hello`, 'hi'))
    const before = await heapUsed()
    let subscribed = 0
    let all!: () => void
    const done = new Promise<void>((resolve) => (all = resolve))
    for (let i = 0; i < TOPICS; i++) {
      let counted = false
      stops.push(
        client.topic(topicOf(run, i)).listen((state) => {
          if (counted || state.status !== 'subscribed') return
          counted = true
          if (++subscribed === TOPICS) all()
        }),
      )
    }
    await within(`${TOPICS} SUBACKs (livetopic)`, SUBSCRIBE_MS, done, () => `${subscribed} of ${TOPICS} subscribed`)
    const after = await heapUsed()
    return (after - before) / TOPICS
  } finally {
    for (const stop of stops) stop()
    await client.close()
  }
}

/** Bytes per topic with raw MQTT.js: one SUBSCRIBE and one nanostores atom with a listener per topic. */
async function mqttjsPerTopic(url: string, run: string): Promise<number> {
  const client = await within('MQTT.js to connect', CONNECT_MS, mqtt.connectAsync(url, { reconnectPeriod: 0 }))
  const atoms = new Map<string, WritableAtom<unknown>>()
  const stops: (() => void)[] = []
  client.on('message', (topic, payload) => atoms.get(topic)?.set(JSON.parse(payload.toString())))
  try {
    await client.publishAsync(`bench/heap/${run}/hello`, 'hi')
    const before = await heapUsed()
    let subscribed = 0
    const all: Promise<unknown>[] = []
    for (let i = 0; i < TOPICS; i++) {
      const topic = topicOf(run, i)
      const store = atom<unknown>(undefined)
      atoms.set(topic, store)
      stops.push(store.listen(() => {}))
      all.push(client.subscribeAsync(topic, { qos: 0 }).then(() => subscribed++))
    }
    await within(`${TOPICS} SUBACKs (MQTT.js)`, SUBSCRIBE_MS, Promise.all(all), () => `${subscribed} of ${TOPICS} subscribed`)
    const after = await heapUsed()
    return (after - before) / TOPICS
  } finally {
    for (const stop of stops) stop()
    await client.endAsync(true)
  }
}

main(async () => {
  const broker = await startMosquitto()
  try {
    // the first of each warms up (compiles, grows the pools) and is not counted
    await livetopicPerTopic(broker.wsUrl, 'warm-l')
    await mqttjsPerTopic(broker.wsUrl, 'warm-m')
    const livetopic = await livetopicPerTopic(broker.wsUrl, 'l')
    const raw = await mqttjsPerTopic(broker.wsUrl, 'm')
    const note = `${TOPICS} topics, one store (or atom) and one listener each, all subscribed, Mosquitto`
    const rows: BenchRow[] = [
      {
        bench: 'heap-per-store',
        metric: 'livetopic, heap per topic store',
        value: round(livetopic),
        unit: 'B',
        target: '≤ 1536',
        ok: livetopic <= TARGET_BYTES,
        note,
      },
      { bench: 'heap-per-store', metric: 'MQTT.js + one nanostores atom, heap per topic', value: round(raw), unit: 'B', note },
      { bench: 'heap-per-store', metric: 'livetopic ÷ MQTT.js + atom', value: round(livetopic / raw), unit: 'ratio', note },
    ]
    return rows
  } finally {
    await broker.close()
  }
})
