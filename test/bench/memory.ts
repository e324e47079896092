// 4. Memory and leaks: mount/unmount cycles of topic stores on distinct filters against Mosquitto,
// each batch waiting for its SUBACKs before unmounting. Afterwards the broker's subscription count
// must be back where it started and the heap (after forced GC) must not have grown by ≥ 1 MB.
import { getHeapSpaceStatistics } from 'node:v8'
// Node 20 has no global WebSocket: the built-in transport gets `ws`'s
import { WebSocket } from 'ws'
import { createClient, type LiveTopicClient } from '@livetopic/core'
import { startMosquitto } from './lib/mosquitto.js'
import { main, SHORT } from './lib/result.js'
import { round, sleep } from './lib/stats.js'
import { watchSubscriptions } from './lib/sys-subscriptions.js'

const CYCLES = SHORT ? 500 : 10_000
const BATCH = 100
// enough to compile every path and grow the pools (MQTT.js, ws) before the heap is measured
const WARMUP = 1_000

declare const gc: (() => void) | undefined

async function collect(): Promise<number> {
  if (typeof gc !== 'function') throw new Error('run with node --expose-gc')
  // several rounds: FinalizationRegistry callbacks (the store cache) run between them
  for (let i = 0; i < 4; i++) {
    gc()
    await sleep(100)
  }
  if (process.env.BENCH_DEBUG) console.error(Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size])))
  return process.memoryUsage().heapUsed
}

/** Mounts `count` stores from `first` on, waits for every SUBACK, unmounts them. */
async function cycles(client: LiveTopicClient, first: number, count: number): Promise<void> {
  for (let start = first; start < first + count; start += BATCH) {
    let pending = 0
    let done!: () => void
    const all = new Promise<void>((resolve) => (done = resolve))
    const stops: (() => void)[] = []
    for (let i = start; i < Math.min(start + BATCH, first + count); i++) {
      pending++
      let counted = false
      stops.push(
        client.topic(`bench/leak/${i}/+/state`).listen((state) => {
          if (!counted && state.status === 'subscribed') {
            counted = true
            if (--pending === 0) done()
          }
        }),
      )
    }
    await all
    for (const stop of stops) stop()
  }
}

main(async () => {
  const broker = await startMosquitto()
  const counter = await watchSubscriptions(broker.tcpUrl)
  const client = createClient({ url: broker.wsUrl, WebSocket })
  try {
    // one store kept open holds the connection, as an app's status indicator would
    const keep = client.status.listen(() => {})
    await cycles(client, -WARMUP, WARMUP)
    const baseline = await counter.settle()
    const heapBefore = await collect()
    const started = performance.now()
    await cycles(client, 0, CYCLES)
    const took = performance.now() - started
    const after = await counter.settle()
    const heapAfter = await collect()
    if (process.env.BENCH_DEBUG) console.error({ heapBefore, heapAfter, baseline, after })
    keep()
    const growth = (heapAfter - heapBefore) / 1024
    const note = `Mosquitto 2.0.11 ($SYS count), ${CYCLES} cycles in batches of ${BATCH}, each waiting for SUBACK`
    return [
      { bench: 'memory', metric: 'mount/unmount cycle (SUBSCRIBE…UNSUBSCRIBE)', value: round((took * 1000) / CYCLES), unit: 'µs', note },
      {
        bench: 'memory',
        metric: 'broker subscriptions left over',
        value: after - baseline,
        unit: 'subs',
        target: '= 0',
        ok: after === baseline,
        note: `${note}; counted after the 1 s unsubscribe delay`,
      },
      { bench: 'memory', metric: 'heap growth after GC', value: round(growth), unit: 'KiB', target: '< 1024', ok: growth < 1024, note },
    ]
  } finally {
    await client.close()
    await counter.close()
    await broker.close()
  }
})
