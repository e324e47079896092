// Quota growth (issue 25, item 4): the memory attacks the issue ran against the stand-in, each run
// twice on a fresh in-process broker: with every quota off (what the stand-in did before) and with
// IoT's defaults. Memory is V8 heap + array buffers (payloads live there) after forced GCs, and RSS.
// - one connection asks for 50,000 subscriptions (8 filters per SUBSCRIBE, pipelined);
// - 300 offline persistent sessions × 300 QoS 1 messages of 1 KB; IoT keeps them for the session
//   expiry (1 h), so the run shortens it to 3 s and measures again after it;
// - one offline session × 5,000 messages (the per-session queue cap, 1,000 by default);
// - 10,000 retained messages of 10 KB over the Data Plane API (20 at a time).
// A stall reports a failed row (each attack has a deadline), never a hang.
import { connect as tcpConnect } from 'node:net'
import { startBroker, type BrokerOptions, type RunningBroker } from '@livetopic/broker'
import mqtt from 'mqtt'
import { connectPacket } from '../helpers/mqtt-bytes.js'
import { main, SHORT, type BenchRow } from './lib/result.js'
import { round, sleep } from './lib/stats.js'

declare const gc: (() => void) | undefined

const SCALE = SHORT ? 0.1 : 1
const SUBSCRIPTIONS = Math.round(50_000 * SCALE)
const SESSIONS = Math.round(300 * SCALE)
const MESSAGES = Math.round(300 * SCALE)
const ONE_SESSION_MESSAGES = 5_000
const RETAINED = Math.round(10_000 * SCALE)
const DEADLINE_MS = 90_000
/** An attack that is still going after this stops where it is and reports what it got (a loaded machine). */
const ATTACK_MS = SHORT ? 15_000 : 60_000

const OFF: BrokerOptions['quotas'] = {
  subscriptionsPerConnection: Infinity,
  publishesPerSecondPerConnection: Infinity,
  connectsPerSecondPerClientId: Infinity,
  sessionExpirySeconds: 7 * 86_400,
  queuedMessagesPerSession: Infinity,
  retainedMessages: Infinity,
  retainedBytesTotal: Infinity,
}

/** MB of heap + array buffers and of RSS, after GCs. */
async function memory(): Promise<{ heap: number; rss: number }> {
  for (let i = 0; i < 3; i++) {
    gc?.()
    await sleep(20)
  }
  const m = process.memoryUsage()
  return { heap: (m.heapUsed + m.arrayBuffers) / 2 ** 20, rss: m.rss / 2 ** 20 }
}

function withDeadline<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const stall = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${DEADLINE_MS / 1000} s`)), DEADLINE_MS)
  })
  return Promise.race([work, stall]).finally(() => clearTimeout(timer))
}

const connect = (broker: RunningBroker, options: mqtt.IClientOptions): Promise<mqtt.MqttClient> =>
  mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0, ...options })

/** A SUBSCRIBE with 8 filters at QoS 0, as bytes (a client library's bookkeeping would cost more than the broker's). */
function subscribe8(messageId: number, first: number): Buffer {
  const body: Buffer[] = [Buffer.from([messageId >> 8, messageId & 0xff])]
  for (let k = 0; k < 8; k++) {
    const topic = Buffer.from(`greedy/${first + k}`)
    body.push(Buffer.from([topic.length >> 8, topic.length & 0xff]), topic, Buffer.from([0]))
  }
  const payload = Buffer.concat(body)
  const length: number[] = []
  let n = payload.length
  do {
    length.push((n % 128) | (n >= 128 ? 0x80 : 0))
    n = Math.floor(n / 128)
  } while (n > 0)
  return Buffer.concat([Buffer.from([0x82, ...length]), payload])
}

async function manySubscriptions(broker: RunningBroker): Promise<{ granted: number }> {
  let granted = 0
  broker.aedes.on('subscribe', (subs) => (granted += subs.length))
  const socket = tcpConnect(broker.mqttPort!, '127.0.0.1')
  let closed = false
  socket.once('close', () => (closed = true))
  socket.on('error', () => {})
  const connack = new Promise((r) => socket.once('data', r))
  socket.on('data', () => {})
  socket.write(connectPacket('greedy'))
  await connack // the stand-in closes a connection that sends much before its CONNACK
  const stop = Date.now() + ATTACK_MS
  for (let i = 0; i < SUBSCRIPTIONS && !closed && Date.now() < stop; i += 8) {
    if (!socket.write(subscribe8(((i / 8) % 65535) + 1, i))) await new Promise((r) => socket.once('drain', r))
  }
  while (!closed && granted < SUBSCRIPTIONS && Date.now() < stop) await sleep(50)
  socket.destroy()
  return { granted }
}

/** Offline persistent sessions subscribed to `q/#`, then `perSession` QoS 1 messages of 1 KB published in-process. */
async function offlineSessions(broker: RunningBroker, sessions: number, perSession: number): Promise<void> {
  for (let i = 0; i < sessions; i++) {
    const client = await connect(broker, { clientId: `away-${i}`, clean: false })
    await client.subscribeAsync('q/#', { qos: 1 })
    await client.endAsync()
  }
  const payload = Buffer.alloc(1024, 0x61)
  for (let i = 0; i < perSession; i++) {
    await new Promise<void>((resolve) => broker.aedes.publish({ cmd: 'publish', topic: 'q/t', payload, qos: 1, retain: false, dup: false }, () => resolve()))
  }
}

async function queued(broker: RunningBroker, clientId: string): Promise<number> {
  const store = (broker.aedes as unknown as { persistence: { outgoingStream(c: { id: string }): AsyncIterable<unknown> } }).persistence
  let n = 0
  for await (const _ of store.outgoingStream({ id: clientId })) n++
  return n
}

async function manyRetained(broker: RunningBroker): Promise<{ accepted: number; tried: number }> {
  const body = Buffer.alloc(10 * 1024, 0x62)
  let accepted = 0
  let next = 0
  const stop = Date.now() + ATTACK_MS
  const worker = async (): Promise<void> => {
    while (next < RETAINED && Date.now() < stop) {
      const i = next++
      const res = await fetch(`${broker.httpUrl}/topics/keep/${i}?retain=true`, { method: 'POST', body })
      if (res.ok) accepted++
      await res.arrayBuffer()
    }
  }
  await Promise.all(Array.from({ length: 20 }, worker))
  return { accepted, tried: next }
}

type Mode = 'quotas off' | 'IoT defaults'

async function run(mode: Mode): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  const quotas = mode === 'quotas off' ? OFF : {}
  const row = (metric: string, value: number, unit: string, note: string, ok?: boolean): void => {
    rows.push({ bench: 'quota-growth', metric: `${metric} (${mode})`, value: round(value), unit, note, ...(ok === undefined ? {} : { ok }) })
  }
  const live = new Set<RunningBroker>()
  const fresh = async (extra: BrokerOptions = {}): Promise<RunningBroker> => {
    const broker = await startBroker({ logger: 'silent', dashboard: false, mqttPort: true, ...extra, quotas: { ...quotas, ...extra.quotas } })
    live.add(broker)
    return broker
  }
  try {
    await attacks(mode, fresh, row)
  } finally {
    // a stalled attack's broker must not load the next one
    await Promise.all([...live].map((b) => b.close()))
  }
  return rows
}

async function attacks(
  mode: Mode,
  fresh: (extra?: BrokerOptions) => Promise<RunningBroker>,
  row: (metric: string, value: number, unit: string, note: string, ok?: boolean) => void,
): Promise<void> {
  {
    const broker = await fresh()
    const before = await memory()
    const { granted } = await withDeadline('subscriptions', manySubscriptions(broker))
    const after = await memory()
    row(
      `${SUBSCRIPTIONS} SUBSCRIBE filters on one connection: granted`,
      granted,
      'subs',
      `heap +${round(after.heap - before.heap)} MB, RSS +${round(after.rss - before.rss)} MB`,
      mode === 'quotas off' || granted <= 50,
    )
    await broker.close()
  }
  {
    const broker = await fresh({ testing: { allowShortDurations: true }, quotas: mode === 'quotas off' ? {} : { sessionExpirySeconds: 3 } })
    const before = await memory()
    await withDeadline('offline sessions', offlineSessions(broker, SESSIONS, MESSAGES))
    const held = await memory()
    const heldMessages = await queued(broker, 'away-0')
    await sleep(3500)
    const later = await memory()
    const leftMessages = await queued(broker, 'away-0')
    row(
      `${SESSIONS} offline sessions × ${MESSAGES} QoS 1 × 1 KB: heap held`,
      held.heap - before.heap,
      'MB',
      `RSS +${round(held.rss - before.rss)} MB; ${heldMessages} queued per session`,
    )
    row(
      `… 3.5 s later${mode === 'IoT defaults' ? ' (expiry shortened 1 h → 3 s)' : ''}: heap still held`,
      later.heap - before.heap,
      'MB',
      `${leftMessages} queued per session`,
      mode === 'quotas off' || leftMessages === 0,
    )
    await broker.close()
  }
  {
    const broker = await fresh()
    const before = await memory()
    await withDeadline('one session', offlineSessions(broker, 1, ONE_SESSION_MESSAGES))
    const after = await memory()
    const n = await queued(broker, 'away-0')
    row(
      `1 offline session × ${ONE_SESSION_MESSAGES} QoS 1: queued`,
      n,
      'msgs',
      `heap +${round(after.heap - before.heap)} MB`,
      mode === 'quotas off' || n <= 1000,
    )
    await broker.close()
  }
  {
    const broker = await fresh()
    const before = await memory()
    const { accepted, tried } = await withDeadline('retained', manyRetained(broker))
    const after = await memory()
    row(
      `${RETAINED} retained × 10 KB over HTTP: accepted`,
      accepted,
      'msgs',
      `of ${tried} sent in ${ATTACK_MS / 1000} s at most; heap +${round(after.heap - before.heap)} MB, RSS +${round(after.rss - before.rss)} MB`,
      mode === 'quotas off' || accepted * 10 * 1024 <= 64 * 2 ** 20,
    )
    await broker.close()
  }
}

main(async () => {
  const rows: BenchRow[] = []
  for (const mode of ['quotas off', 'IoT defaults'] as Mode[]) {
    try {
      rows.push(...(await run(mode)))
    } catch (error) {
      rows.push({ bench: 'quota-growth', metric: `stalled (${mode})`, value: 0, unit: '', ok: false, note: String(error) })
    }
  }
  return rows
})
