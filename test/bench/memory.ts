// 4. Memory and leaks: mount/unmount cycles of topic stores on distinct filters against Mosquitto,
// each batch waiting for its SUBACKs before unmounting. Afterwards the broker's subscription count
// must be back where it started and the heap must not have grown by ≥ 1 MB. One heap figure after
// a burst of work is mostly GC timing, so the heap is sampled SAMPLES times along the run (each
// after the unsubscribes settled and several forced GCs) and the slope of a least-squares line
// through the samples is reported: a leak grows with the cycles, noise does not. V8's compiled code
// lives in the heap too and keeps growing for a while as functions get optimized (a heap snapshot
// diff of 5,000 cycles showed all of the growth there, no object retained), so it is counted apart.
import { getHeapSpaceStatistics } from 'node:v8'
// Node 20 has no global WebSocket: the built-in transport gets `ws`'s
import { WebSocket } from 'ws'
import { createClient, type LiveTopicClient } from '@livetopic/core'
import { startMosquitto } from './lib/mosquitto.js'
import { main, SHORT } from './lib/result.js'
import { round, sleep } from './lib/stats.js'
import { watchSubscriptions, type SubscriptionCounter } from './lib/sys-subscriptions.js'

const CYCLES = SHORT ? 500 : 10_000
const SAMPLES = SHORT ? 5 : 10
const BATCH = 100
// enough to compile every path and grow the pools (MQTT.js, ws) before the heap is measured
const WARMUP = 1_000

declare const gc: (() => void) | undefined

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length
  const my = ys.reduce((a, b) => a + b, 0) / ys.length
  let num = 0
  let den = 0
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i]! - my)
    den += (x - mx) ** 2
  })
  return num / den
}

/** Waits until Mosquitto's subscription count is `baseline` again. */
async function backTo(counter: SubscriptionCounter, baseline: number): Promise<void> {
  const deadline = performance.now() + 30_000
  await sleep(1_200)
  while (counter.count !== baseline && performance.now() < deadline) await sleep(100)
}

/** Timers, sockets and other handles keeping the process busy (a leaked timer shows here). */
const activeResources = (): number => process.getActiveResourcesInfo().length

/** Heap in use after GC: objects, and V8's compiled code (code spaces). */
async function collect(): Promise<{ objects: number; code: number }> {
  if (typeof gc !== 'function') throw new Error('run with node --expose-gc')
  // several rounds: FinalizationRegistry callbacks (the store cache) run between them
  for (let i = 0; i < 4; i++) {
    gc()
    await sleep(100)
  }
  const spaces = getHeapSpaceStatistics()
  if (process.env.BENCH_DEBUG) console.error(Object.fromEntries(spaces.map((s) => [s.space_name, s.space_used_size])))
  const code = spaces.filter((s) => s.space_name.startsWith('code')).reduce((n, s) => n + s.space_used_size, 0)
  return { objects: process.memoryUsage().heapUsed - code, code }
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
    const resourcesBefore = activeResources()
    const done: number[] = [0]
    const samples = [await collect()]
    const chunk = CYCLES / SAMPLES
    let took = 0
    for (let sample = 0; sample < SAMPLES; sample++) {
      const started = performance.now()
      await cycles(client, sample * chunk, chunk)
      took += performance.now() - started
      // the unsubscribes leave after the 1 s delay: sample once the broker is back at its baseline
      // (its $SYS count lags by up to a second), so no batch of live entries is measured
      await backTo(counter, baseline)
      done.push((sample + 1) * chunk)
      samples.push(await collect())
    }
    const after = counter.count
    const resourcesLeft = activeResources() - resourcesBefore
    if (process.env.BENCH_DEBUG) console.error({ samples, baseline, after, resources: process.getActiveResourcesInfo() })
    keep()
    const heaps = samples.map((s) => s.objects)
    const codeGrowth = (samples.at(-1)!.code - samples[0]!.code) / 1024
    const growth = (heaps.at(-1)! - heaps[0]!) / 1024
    const perThousand = (slope(done, heaps) * 1000) / 1024
    // the second half alone: what is left once every pool and table has reached its working size
    const half = Math.floor(done.length / 2)
    const lateSlope = (slope(done.slice(half), heaps.slice(half)) * 1000) / 1024
    const note = `Mosquitto 2.0.11 ($SYS count), ${CYCLES} cycles in batches of ${BATCH}, each waiting for SUBACK`
    const points = `objects on the heap after GC at ${SAMPLES + 1} points: ${heaps.map((h) => round(h / 2 ** 20)).join(' / ')} MiB`
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
      {
        bench: 'memory',
        metric: 'heap growth after GC, first to last sample',
        value: round(growth),
        unit: 'KiB',
        target: '< 1024',
        ok: growth < 1024,
        note: `${points}; compiled code (apart) grew ${round(codeGrowth)} KiB`,
      },
      {
        bench: 'memory',
        metric: 'heap slope (least squares over the samples)',
        value: round(perThousand),
        unit: 'KiB/1k',
        note: `per 1,000 cycles (second half of the run alone: ${round(lateSlope)} KiB/1k); a leak of one 100-byte object per cycle would be ~98 KiB/1k`,
      },
      {
        bench: 'memory',
        metric: 'timers and handles left over',
        value: resourcesLeft,
        unit: 'handles',
        target: '≤ 0',
        ok: resourcesLeft <= 0,
        note: 'process.getActiveResourcesInfo(), after the run vs before it',
      },
    ]
  } finally {
    await client.close()
    await counter.close()
    await broker.close()
  }
})
