// 2. Dispatch scaling: cost of routing one message when 10, 1,000 and 10,000 distinct filters (exact,
// `+` and `#`) are registered: TopicTrie.match alone, the client's real path (fake in-memory
// transport → subscriptions → topic stores), and a linear scan as mqtt-react-hooks does it.
import { createClient } from '@livetopic/core'
import { TopicTrie } from '@livetopic/core/internal'
import { fakeTransport } from './lib/fake-transport.js'
import { patternMatches } from './lib/mqtt-pattern.js'
import { main, SHORT, type BenchRow } from './lib/result.js'
import { nsPerOp, round } from './lib/stats.js'

const SIZES = [10, 1_000, 10_000]
const REPEATS = SHORT ? 3 : 9
const MS = SHORT ? 20 : 150
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

/** A prepared dispatch path: `run()` routes TOPIC once. */
interface Path {
  run: () => void
  matches: number
  close(): Promise<void>
}

function triePath(list: string[]): Path {
  const trie = new TopicTrie<string>()
  for (const f of list) trie.set(f, f)
  let matches = 0
  trie.match(TOPIC, () => matches++)
  let _sink = 0
  const visit = (): void => {
    _sink++
  }
  return { run: () => trie.match(TOPIC, visit), matches, close: async () => {} }
}

function scanPath(list: string[]): Path {
  let _sink = 0
  const run = (): void => {
    for (const f of list) if (patternMatches(f, TOPIC)) _sink++
  }
  return { run, matches: list.filter((f) => patternMatches(f, TOPIC)).length, close: async () => {} }
}

async function clientPath(list: string[]): Promise<Path> {
  const fake = fakeTransport()
  const client = createClient({ url: 'ws://127.0.0.1:1/unused' }, fake.factory)
  let delivered = 0
  const stops = list.map((f) => client.topic(f).listen(() => delivered++))
  // let the batched SUBSCRIBEs go out and the stores settle
  await new Promise((r) => setTimeout(r, 50))
  const payload = new TextEncoder().encode('{"t":21.5}')
  delivered = 0
  fake.deliver(TOPIC, payload)
  return {
    run: () => fake.deliver(TOPIC, payload),
    matches: delivered,
    async close() {
      for (const stop of stops) stop()
      await client.close()
    },
  }
}

main(async () => {
  const kinds = ['trie', 'client', 'scan'] as const
  const labels = { trie: 'TopicTrie.match', client: 'client path (fake transport)', scan: 'linear scan (mqtt-react-hooks)' }
  const paths: Record<string, Path[]> = { trie: [], client: [], scan: [] }
  for (const size of SIZES) {
    const list = filters(size)
    paths.trie!.push(triePath(list))
    paths.client!.push(await clientPath(list))
    paths.scan!.push(scanPath(list))
  }
  // sizes interleaved, repeated; the minimum is kept, as noise on a shared machine only adds time
  const samples: Record<string, number[][]> = { trie: SIZES.map(() => []), client: SIZES.map(() => []), scan: SIZES.map(() => []) }
  for (let r = 0; r < REPEATS; r++)
    for (const kind of kinds) SIZES.forEach((_, i) => samples[kind]![i]!.push(nsPerOp(paths[kind]![i]!.run, kind === 'scan' && i === 2 ? MS / 4 : MS)))
  const best = (kind: string, i: number): number => Math.min(...samples[kind]![i]!)
  const rows: BenchRow[] = []
  SIZES.forEach((size, i) => {
    for (const kind of kinds) {
      const note = `${paths[kind]![i]!.matches} ${kind === 'client' ? 'stores notified; JSON decode + store update included' : 'filters match'}; min of ${REPEATS}`
      rows.push({ bench: 'dispatch', metric: `${labels[kind]}, ${size} filters`, value: round(best(kind, i)), unit: 'ns/msg', note })
    }
  })
  const ratio = (kind: string): number => best(kind, SIZES.length - 1) / best(kind, 0)
  rows.push(
    { bench: 'dispatch', metric: 'TopicTrie.match 10,000 ÷ 10', value: round(ratio('trie')), unit: 'ratio', target: '≤ 1.5', ok: ratio('trie') <= 1.5 },
    { bench: 'dispatch', metric: 'client path 10,000 ÷ 10', value: round(ratio('client')), unit: 'ratio', target: '≤ 1.5', ok: ratio('client') <= 1.5 },
    { bench: 'dispatch', metric: 'linear scan 10,000 ÷ 10 (reference)', value: round(ratio('scan')), unit: 'ratio' },
  )
  for (const list of Object.values(paths)) for (const p of list) await p.close()
  return rows
})
