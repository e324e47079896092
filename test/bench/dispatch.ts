// 2. Dispatch scaling: cost of routing one message when 10, 1,000 and 10,000 distinct filters (exact,
// `+` and `#`) are registered: TopicTrie.match alone, the client's real path (fake in-memory
// transport → subscriptions → topic stores), and a linear scan as mqtt-react-hooks does it.
import { createClient, TopicTrie } from '@livetopic/core'
import { fakeTransport } from './lib/fake-transport.js'
import { patternMatches } from './lib/mqtt-pattern.js'
import { main, SHORT, type BenchRow } from './lib/result.js'
import { median, nsPerOp, round } from './lib/stats.js'

const SIZES = [10, 1_000, 10_000]
const REPEATS = SHORT ? 1 : 7
const MS = SHORT ? 30 : 300
const TOPIC = 'site/7/dev/7/temp'
// the same four filters match TOPIC at every size, so only the non-matching ones grow
const MATCHING = ['site/7/dev/7/temp', 'site/+/dev/7/temp', 'site/+/dev/7/+', 'site/#']

/** `size` distinct filters, a third each exact, `+` and `#`. */
export function filters(size: number): string[] {
  const all = new Set(MATCHING)
  for (let i = 0; all.size < size; i++) {
    if (i === 7) continue
    const kind = i % 3
    all.add(kind === 0 ? `site/${i % 50}/dev/${i}/temp` : kind === 1 ? `site/+/dev/${i}/+` : `site/${i % 50}/dev/${i}/#`)
  }
  return [...all]
}

function trieCost(list: string[]): { ns: number; matches: number } {
  const trie = new TopicTrie<string>()
  for (const f of list) trie.set(f, f)
  let matches = 0
  trie.match(TOPIC, () => matches++)
  let sink = 0
  const ns = median(Array.from({ length: REPEATS }, () => nsPerOp(() => trie.match(TOPIC, () => sink++), MS)))
  return { ns, matches }
}

function scanCost(list: string[]): number {
  let sink = 0
  return median(Array.from({ length: REPEATS }, () => nsPerOp(() => {
    for (const f of list) if (patternMatches(f, TOPIC)) sink++
  }, MS)))
}

async function clientCost(list: string[]): Promise<{ ns: number; delivered: number }> {
  const fake = fakeTransport()
  const client = createClient({ url: 'ws://127.0.0.1:1/unused' }, fake.factory)
  let delivered = 0
  const stops = list.map((f) => client.topic(f).listen(() => delivered++))
  // let the batched SUBSCRIBEs go out and the stores settle
  await new Promise((r) => setTimeout(r, 50))
  const payload = new TextEncoder().encode('{"t":21.5}')
  delivered = 0
  fake.deliver(TOPIC, payload)
  const perMessage = delivered
  const ns = median(Array.from({ length: REPEATS }, () => nsPerOp(() => fake.deliver(TOPIC, payload), MS)))
  for (const stop of stops) stop()
  await client.close()
  return { ns, delivered: perMessage }
}

main(async () => {
  const rows: BenchRow[] = []
  const trie: number[] = []
  const scan: number[] = []
  const real: number[] = []
  for (const size of SIZES) {
    const list = filters(size)
    const t = trieCost(list)
    const s = scanCost(list)
    const c = await clientCost(list)
    trie.push(t.ns)
    scan.push(s)
    real.push(c.ns)
    const note = `${t.matches} filters match, ${c.delivered} stores notified`
    rows.push(
      { bench: 'dispatch', metric: `TopicTrie.match, ${size} filters`, value: round(t.ns), unit: 'ns/msg', note },
      { bench: 'dispatch', metric: `client path (fake transport), ${size} filters`, value: round(c.ns), unit: 'ns/msg', note: `${note}; JSON decode + store update included` },
      { bench: 'dispatch', metric: `linear scan (mqtt-react-hooks), ${size} filters`, value: round(s), unit: 'ns/msg', note },
    )
  }
  const ratio = (xs: number[]): number => xs[xs.length - 1]! / xs[0]!
  rows.push(
    { bench: 'dispatch', metric: 'TopicTrie.match 10,000 ÷ 10', value: round(ratio(trie)), unit: 'ratio', target: '≤ 1.5', ok: ratio(trie) <= 1.5 },
    { bench: 'dispatch', metric: 'client path 10,000 ÷ 10', value: round(ratio(real)), unit: 'ratio', target: '≤ 1.5', ok: ratio(real) <= 1.5 },
    { bench: 'dispatch', metric: 'linear scan 10,000 ÷ 10 (reference)', value: round(ratio(scan)), unit: 'ratio' },
  )
  return rows
})
