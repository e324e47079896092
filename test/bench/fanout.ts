// 5. Broker fan-out: C bare WebSocket subscribers on one topic, one message per millisecond for D
// seconds, against @livetopic/broker (aedes, in a child process) and Mosquitto in the same run.
// Latency is publish call → arrival, both in this process (one clock); lost = expected − received.
import mqtt from 'mqtt'
import { startChildBroker } from './lib/livetopic-broker.js'
import { miniSubscribe, type MiniSubscriber } from './lib/mini-subscriber.js'
import { startMosquitto } from './lib/mosquitto.js'
import { main, SHORT, type BenchRow } from './lib/result.js'
import { percentile, round, sleep } from './lib/stats.js'

const CLIENTS = SHORT ? 50 : 500
const SECONDS = SHORT ? 1 : 5
const TOPIC = 'bench/fanout'

interface FanoutResult { p50: number; p99: number; lost: number; expected: number; seconds: number; deliveredPerSecond: number }

async function fanout(url: string, publishUrl: string): Promise<FanoutResult> {
  const messages = SECONDS * 1000
  const expected = messages * CLIENTS
  const latencies = new Float64Array(expected)
  let received = 0
  let lastArrival = 0
  const onPayload = (payload: Buffer): void => {
    lastArrival = performance.now()
    if (received < expected) latencies[received] = lastArrival - payload.readDoubleLE(0)
    received++
  }
  const subscribers: MiniSubscriber[] = []
  for (let i = 0; i < CLIENTS; i += 50) {
    const batch = Array.from({ length: Math.min(50, CLIENTS - i) }, (_, k) => miniSubscribe(url, `bench-fan-${i + k}`, TOPIC, onPayload))
    subscribers.push(...(await Promise.all(batch)))
  }
  const publisher = await mqtt.connectAsync(publishUrl, { reconnectPeriod: 0 })
  await sleep(200)
  // one message per elapsed millisecond: a late timer catches up instead of lowering the rate
  const started = performance.now()
  let sent = 0
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(messages, Math.floor(performance.now() - started))
      for (; sent < due; sent++) {
        const payload = Buffer.alloc(16)
        payload.writeDoubleLE(performance.now(), 0)
        payload.writeUInt32LE(sent, 8)
        publisher.publish(TOPIC, payload, { qos: 0 })
      }
      if (sent >= messages) { clearInterval(timer); resolve() }
    }, 1)
  })
  const took = (performance.now() - started) / 1000
  // drain: wait until everything arrived or nothing more comes for a second
  for (let last = -1; received < expected && received !== last;) {
    last = received
    await sleep(1000)
  }
  for (const s of subscribers) s.close()
  await publisher.endAsync(true)
  const samples = latencies.subarray(0, Math.min(received, expected))
  const all = Array.from(samples)
  return {
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    lost: Math.max(0, expected - received),
    expected,
    seconds: took,
    deliveredPerSecond: received / ((lastArrival - started) / 1000),
  }
}

main(async () => {
  const ours = await startChildBroker()
  const mosquitto = await startMosquitto()
  try {
    const a = await fanout(ours.url, ours.url)
    await sleep(500)
    const b = await fanout(mosquitto.wsUrl, mosquitto.tcpUrl)
    const rows: BenchRow[] = []
    for (const [name, r] of [['@livetopic/broker (aedes)', a], ['Mosquitto 2.0.11', b]] as const) {
      const note = `${CLIENTS} ws clients, 1 msg/ms for ${SECONDS} s (publishing took ${r.seconds.toFixed(1)} s), ${r.expected} deliveries expected`
      rows.push(
        { bench: 'fanout', metric: `${name} latency p50`, value: round(r.p50), unit: 'ms', note },
        { bench: 'fanout', metric: `${name} latency p99`, value: round(r.p99), unit: 'ms', note },
        { bench: 'fanout', metric: `${name} messages lost`, value: r.lost, unit: 'msgs', note: `${note}; not arrived 1 s after the last progress` },
        { bench: 'fanout', metric: `${name} deliveries per second`, value: round(r.deliveredPerSecond), unit: 'msg/s', note: `${note}; offered ${CLIENTS * 1000}/s` },
      )
    }
    rows.push({ bench: 'fanout', metric: 'p99 @livetopic/broker ÷ Mosquitto', value: round(a.p99 / b.p99), unit: 'ratio', note: 'receivers and both brokers share 2 cores' })
    return rows
  } finally {
    await ours.close()
    await mosquitto.close()
  }
})
