// 1b. Receive capacity: how many QoS 0 messages per second each client can take in when the source
// is not the bottleneck. Through Mosquitto (throughput.ts) the single-threaded broker sets the pace
// for every client; here the source is a child process on its own core (lib/source-child.ts) that
// writes N pre-encoded, pre-framed ~100-byte JSON PUBLISH packets as fast as the client reads them.
// Two framings: one packet per WebSocket message (as Mosquitto sends them) and 32 KiB messages of
// many packets (as a server whose socket writes coalesce sends them). The same contenders as
// throughput.ts, rotated, median of the runs; plus a bare `ws` client that only counts bytes (no
// MQTT parsing): the ceiling a client could reach here, which shows the source outpaces them all.
import mqttPacket from 'mqtt-packet'
import { WebSocket } from 'ws'
import { within } from './lib/deadline.js'
import { contenderRows, meter, receive, rotate, thenClose, type Contender, type Run } from './lib/receivers.js'
import { main, SHORT, type BenchRow } from './lib/result.js'
import { startSource, type Source, type StreamReport } from './lib/source.js'
import { median, round } from './lib/stats.js'

const BENCH = 'receive-capacity'
const COUNT = Number(process.env.BENCH_COUNT) || (SHORT ? 20_000 : 200_000)
const RUNS = SHORT ? 1 : 5
const TOPIC = 'bench/capacity'
/** Payload bytes, as throughput.ts's publisher sends them (so JSON.parse costs the same). */
const SIZE = 100
/** The framings measured: bytes per WebSocket message (0: one packet each). */
const FRAMINGS = [
  { messageBytes: 0, label: '1 packet/WS message' },
  { messageBytes: 32 * 1024, label: '32 KiB WS messages' },
]
// per phase: generous for a shared machine, short of a hang
const SETUP_MS = 30_000
const DRAIN_MS = 60_000
const CLOSE_MS = 10_000

type Receiver = Contender | 'bare'

/** A WebSocket client that subscribes, then only counts the bytes of PUBLISH messages (all packets are one length). */
async function receiveBare(url: string, clientId: string, packetBytes: number): Promise<Run> {
  const m = meter(COUNT)
  const ws = new WebSocket(url, 'mqtt', { perMessageDeflate: false })
  ws.binaryType = 'nodebuffer'
  const connect = mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId })
  const subscribe = mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: TOPIC, qos: 0 }] })
  ws.on('open', () => {
    ws.send(connect)
    ws.send(subscribe)
  })
  // the source's messages hold whole packets; CONNACK and SUBACK arrive in messages of their own
  ws.on('message', (data: Buffer) => {
    if (data[0] === 0x30) m.tick(data.length / packetBytes)
  })
  const failed = new Promise<never>((_, reject) => ws.on('error', reject))
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()))
  const progress = (): string => `${m.received} arrived`
  const drained = within(`${COUNT} messages on the bare ws client`, DRAIN_MS, Promise.race([m.done, failed]), progress)
  return thenClose(drained, () => {
    ws.close()
    return within('the bare ws client to close', CLOSE_MS, closed)
  })
}

/** Every receiver drains the source's stream RUNS times (after a warm-up), rotated; the rows for one framing. */
async function measure(source: Source, label: string): Promise<BenchRow[]> {
  const runs: Record<Receiver, Run[]> = { bare: [], raw: [], builtin: [], mqttjs: [] }
  const streams: Record<Receiver, StreamReport[]> = { bare: [], raw: [], builtin: [], mqttjs: [] }
  const order: Receiver[] = ['bare', 'raw', 'builtin', 'mqttjs']
  const reception = {
    url: source.url,
    topic: TOPIC,
    count: COUNT,
    qos: 0,
    subscribe: true,
    drainMs: DRAIN_MS,
    closeMs: CLOSE_MS,
  } as const
  // run 0 warms the JIT for all and is not counted
  for (let i = SHORT ? 1 : 0; i <= RUNS; i++) {
    // rotate which goes first, so drift on a shared machine hits all alike
    for (const which of rotate(order, i)) {
      const clientId = `bench-capacity-${i}-${which}`
      const bare = (): Promise<Run> => receiveBare(source.url, clientId, source.packetBytes)
      const run = await (which === 'bare' ? bare() : receive(which, { ...reception, clientId }))
      // over TCP from a source that writes them all, a missing message is a fault, not noise
      if (run.lost !== 0) throw new Error(`${which}: ${COUNT - run.lost} of ${COUNT} messages arrived (${label})`)
      const stream = await within(`the source's report on the stream to ${which}`, CLOSE_MS, source.nextStream())
      if (i > 0) {
        runs[which].push(run)
        streams[which].push(stream)
      }
    }
  }
  const note = `${COUNT} msgs of ${SIZE} B JSON from a child process, median of ${RUNS}`
  const prefix = `QoS 0, ${label},`
  const rate = (w: Receiver): number => median(runs[w].map((r) => r.rate))
  const ceiling = rate('bare')
  const fastest = Math.max(rate('raw'), rate('builtin'), rate('mqttjs'))
  const sourceCpu = median(Object.values(streams).flatMap((list) => list.map((s) => s.cpuMicros / s.messages)))
  return [
    ...contenderRows(BENCH, prefix, runs, note),
    {
      bench: BENCH,
      metric: `${prefix} bare ws client, counts bytes (ceiling)`,
      value: round(ceiling),
      unit: 'msg/s',
      note,
    },
    {
      bench: BENCH,
      metric: `${prefix} ceiling ÷ fastest client`,
      value: round(ceiling / fastest),
      unit: 'ratio',
      target: '> 1',
      ok: ceiling > fastest,
      note: 'above 1: the source outpaces every client, so each client sets its own rate',
    },
    {
      bench: BENCH,
      metric: `${prefix} source CPU per message`,
      value: round(sourceCpu),
      unit: 'µs',
      note: `the source child's CPU per message sent, all streams: one core streams ${round(1 / sourceCpu)} M msg/s`,
    },
  ]
}

main(async () => {
  const rows: BenchRow[] = []
  for (const { messageBytes, label } of FRAMINGS) {
    const source = await within(
      `the source child to encode ${COUNT} messages (${label}) and listen`,
      SETUP_MS,
      startSource({ topic: TOPIC, count: COUNT, size: SIZE, messageBytes }),
    )
    const close = (): Promise<void> => within('the source child to exit', CLOSE_MS, source.close())
    rows.push(...(await thenClose(measure(source, label), close)))
  }
  return rows
})
