// 4b. Memory and leaks, React: mount/unmount cycles of a component using `useTopic` on distinct
// filters (jsdom, fake in-memory transport). Afterwards the transport must hold no subscription
// (SUBSCRIBEs minus UNSUBSCRIBEs it was sent) and the heap, after forced GC, must not have grown
// by ≥ 1 MB. The store version (memory.ts) checks the same against Mosquitto's own count.
import { createClient } from '@livetopic/core'
import { dom } from './lib/jsdom-globals.js'
import { fakeTransport } from './lib/fake-transport.js'
import { main, SHORT, type BenchRow } from './lib/result.js'
import { round, sleep } from './lib/stats.js'

const CYCLES = SHORT ? 500 : 10_000
const WARMUP = 1_000

const React = await import('react')
const { flushSync } = await import('react-dom')
const { createRoot } = await import('react-dom/client')
const { LiveTopicProvider, useTopic } = await import('@livetopic/react')

declare const gc: (() => void) | undefined

async function collect(): Promise<number> {
  if (typeof gc !== 'function') throw new Error('run with node --expose-gc')
  for (let i = 0; i < 4; i++) {
    gc()
    await sleep(100)
  }
  return process.memoryUsage().heapUsed
}

const nextTask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

main(async () => {
  const fake = fakeTransport()
  const client = createClient({ url: 'ws://127.0.0.1:1/unused' }, fake.factory)
  const keep = client.status.listen(() => {})
  function Reading({ filter }: { filter: string }): React.ReactElement {
    const state = useTopic(filter)
    return React.createElement('span', null, state.status)
  }
  const root = createRoot(dom.window.document.getElementById('root')!)
  let peak = 0
  const cycles = async (first: number, count: number): Promise<void> => {
    for (let i = first; i < first + count; i++) {
      flushSync(() => root.render(React.createElement(LiveTopicProvider, { client }, React.createElement(Reading, { filter: `bench/leak/${i}/+/state` }))))
      // the SUBSCRIBE goes out at the end of the tick
      await nextTask()
      peak = Math.max(peak, fake.subscribed.size)
      flushSync(() => root.render(null))
    }
  }
  await cycles(-WARMUP, WARMUP)
  await sleep(1500)
  const heapBefore = await collect()
  const started = performance.now()
  await cycles(0, CYCLES)
  const took = performance.now() - started
  // past the unsubscribe delay
  await sleep(1500)
  const left = fake.subscribed.size
  const heapAfter = await collect()
  keep()
  root.unmount()
  await client.close()
  const growth = (heapAfter - heapBefore) / 1024
  const note = `@livetopic/react useTopic, React 19, jsdom, fake transport, ${CYCLES} cycles (default 1 s unsubscribe delay; up to ${peak} subscribed at once)`
  const rows: BenchRow[] = [
    { bench: 'memory', metric: 'React mount/unmount cycle', value: round((took * 1000) / CYCLES), unit: 'µs', note },
    { bench: 'memory', metric: 'React: subscriptions left at the transport', value: left, unit: 'subs', target: '= 0', ok: left === 0, note },
    { bench: 'memory', metric: 'React: heap growth after GC', value: round(growth), unit: 'KiB', target: '< 1024', ok: growth < 1024, note },
  ]
  return rows
})
