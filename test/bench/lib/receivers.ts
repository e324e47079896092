// The receiving side of the receive benchmarks (throughput: through Mosquitto; receive-capacity:
// from a source that outpaces the client): the three contenders, the meter that times them, and
// the rows that compare them.
import mqtt from 'mqtt'
import { createClient } from '@livetopic/core'
import { mqttTransport } from '@livetopic/core/mqtt'
import { WebSocket } from 'ws'
import { within } from './deadline.js'
import type { BenchRow } from './result.js'
import { median, round } from './stats.js'

/** One contender's run: arrival rate, messages that never came, and this process's CPU per message. */
export interface Run {
  rate: number
  lost: number
  cpuPerMessage: number
}

/** A raw MQTT.js handler, a livetopic topic store on the built-in transport, and one on MQTT.js. */
export type Contender = 'raw' | 'builtin' | 'mqttjs'

/** What a contender connects to and how long each phase may take. */
export interface Reception {
  url: string
  clientId: string
  topic: string
  count: number
  qos: 0 | 1
  /** Whether raw MQTT.js subscribes (not when a stored session already is; a topic store always does). */
  subscribe: boolean
  /** Deadline for all `count` messages to arrive. */
  drainMs: number
  /** Deadline for the client to close. */
  closeMs: number
}

/** Resolves with `work`, then closes; when `work` fails, closes all the same and keeps its error. */
export async function thenClose<T>(work: Promise<T>, close: () => Promise<unknown>): Promise<T> {
  let result: T
  try {
    result = await work
  } catch (error) {
    await close().catch(() => undefined)
    throw error
  }
  await close()
  return result
}

/** `items` rotated left by `i`: rotating who goes first per run spreads a shared machine's drift over all. */
export function rotate<T>(items: readonly T[], i: number): T[] {
  const at = i % items.length
  return [...items.slice(at), ...items.slice(0, at)]
}

/** Counts arrivals (`tick(n)`: n more at once) and says how many so far; `done` resolves with the run. */
export interface Meter {
  tick(n?: number): void
  readonly received: number
  readonly done: Promise<Run>
}

/**
 * Counts arrivals; resolves with msgs/s between the first and the last one, once `count` arrived
 * or nothing arrived for `quietMs`.
 */
export function meter(count: number, quietMs = 2000): Meter {
  let received = 0
  // the first arrival starts the clock, so what it brought is not counted in the rate
  let atFirst = 0
  let first = 0
  let last = 0
  let cpu = process.cpuUsage()
  let finish!: (run: Run) => void
  const done = new Promise<Run>((resolve) => (finish = resolve))
  const end = (): void => {
    clearInterval(watch)
    const used = process.cpuUsage(cpu)
    finish({
      rate: received > atFirst ? ((received - atFirst) * 1000) / (last - first) : 0,
      lost: count - received,
      // CPU this process spent per message (µs): the client's own cost, whatever the source's pace
      cpuPerMessage: received > atFirst ? (used.user + used.system) / (received - atFirst) : 0,
    })
  }
  // messages lost on the way must not hang the benchmark
  let seen = -1
  const watch = setInterval(() => {
    if (received === seen) end()
    seen = received
  }, quietMs)
  return {
    tick(n = 1) {
      last = performance.now()
      if (received === 0) {
        first = last
        atFirst = n
        cpu = process.cpuUsage()
      }
      received += n
      if (received >= count) end()
    },
    get received() {
      return received
    },
    done,
  }
}

/** A raw MQTT.js client whose `message` handler JSON.parses each payload. */
async function receiveRaw(r: Reception): Promise<Run> {
  const m = meter(r.count)
  let sink = 0
  const client = mqtt.connect(r.url, { clientId: r.clientId, clean: false, reconnectPeriod: 0 })
  client.on('message', (name, payload) => {
    if (name !== r.topic) return
    sink += (JSON.parse(payload.toString()) as { seq: number }).seq
    m.tick()
  })
  if (r.subscribe) client.subscribe(r.topic, { qos: r.qos })
  const run = await thenClose(
    within(`${r.count} messages on raw MQTT.js`, r.drainMs, m.done, () => `${m.received} arrived`),
    () => within('raw MQTT.js to close', r.closeMs, client.endAsync(true)),
  )
  return { ...run, rate: sink >= 0 ? run.rate : 0 }
}

/** A livetopic client (built-in transport on `ws`, or MQTT.js) with one topic store and a listener. */
async function receiveLivetopic(r: Reception, transport: 'builtin' | 'mqttjs'): Promise<Run> {
  const m = meter(r.count)
  // Node 20 has no global WebSocket: the built-in transport gets `ws`'s, as MQTT.js uses in Node
  const client = createClient({
    url: r.url,
    clientId: r.clientId,
    clean: false,
    unsubscribeDelay: 0,
    ...(transport === 'builtin' ? { WebSocket } : { transport: mqttTransport }),
  })
  const stop = client.topic<{ seq: number }>(r.topic, { qos: r.qos }).listen((state) => {
    if (state.message) m.tick()
  })
  return thenClose(
    within(`${r.count} messages on livetopic (${transport})`, r.drainMs, m.done, () => `${m.received} arrived`),
    () => {
      stop()
      return within(`livetopic (${transport}) to close`, r.closeMs, client.close())
    },
  )
}

/** Runs `which` on `r`. */
export function receive(which: Contender, r: Reception): Promise<Run> {
  return which === 'raw' ? receiveRaw(r) : receiveLivetopic(r, which)
}

/**
 * The rows comparing the contenders (medians of `runs`): rates, the two ratios against raw MQTT.js
 * with their targets, and CPU per message. `prefix` starts every metric (e.g. "QoS 0").
 */
export function contenderRows(bench: string, prefix: string, runs: Record<Contender, Run[]>, note: string): BenchRow[] {
  const rate = (w: Contender): number => median(runs[w].map((r) => r.rate))
  const cpu = (w: Contender): number => median(runs[w].map((r) => r.cpuPerMessage))
  const row = (metric: string, value: number, unit: string, target?: { target: string; ok: boolean }): BenchRow => ({
    bench,
    metric: `${prefix} ${metric}`,
    value: round(value),
    unit,
    ...target,
    note,
  })
  const builtin = rate('builtin') / rate('raw')
  const onMqttjs = rate('mqttjs') / rate('raw')
  return [
    row('raw MQTT.js + JSON.parse', rate('raw'), 'msg/s'),
    row('livetopic, built-in transport', rate('builtin'), 'msg/s'),
    row('livetopic, MQTT.js transport', rate('mqttjs'), 'msg/s'),
    row('built-in ÷ raw MQTT.js', builtin, 'ratio', { target: '≥ 1.2', ok: builtin >= 1.2 }),
    row('livetopic on MQTT.js ÷ raw', onMqttjs, 'ratio', { target: '≥ 0.95', ok: onMqttjs >= 0.95 }),
    row('CPU per message, raw', cpu('raw'), 'µs'),
    row('CPU per message, built-in', cpu('builtin'), 'µs', { target: '≤ raw', ok: cpu('builtin') <= cpu('raw') }),
    row('CPU per message, livetopic on MQTT.js', cpu('mqttjs'), 'µs'),
  ]
}
