// Slow consumer: one subscriber stops reading its socket while 100 KB messages flood a topic it
// matches (tens of MB offered to it), and OTHERS bare WebSocket subscribers get a small timestamped
// message every 10 ms on another topic. Their delivery latency (publish call → arrival, one clock)
// must not wait for the stalled one (issue 25: aedes' bus waited 60 s for its drain). Also reported:
// when the stalled subscriber is disconnected (THROTTLED past its queue limit) and the broker's RSS.
// @livetopic/broker runs in a child process with its default outgoing limits.
import mqtt from 'mqtt'
import { rawWsClient, type RawWsClient } from '../helpers/raw-ws-client.js'
import { startChildBroker } from './lib/livetopic-broker.js'
import { miniSubscribe, type MiniSubscriber } from './lib/mini-subscriber.js'
import { main, SHORT, type BenchRow } from './lib/result.js'
import { percentile, round, sleep } from './lib/stats.js'

const OTHERS = 20
const FLOOD_SECONDS = SHORT ? 2 : 6
/** 100 KB messages per second to the stalled subscriber's topic: 6 MB/s. */
const FLOOD_RATE = 60
const TICK_MS = 10
/** The whole run; a stall reports a failed row instead of hanging. */
const DEADLINE_MS = 60_000
const MIB = 1024 * 1024

main(async () => {
  const broker = await startChildBroker()
  const latencies: number[] = []
  let received = 0
  const others: MiniSubscriber[] = []
  let slow: RawWsClient | undefined
  // the flood and the ticks on separate connections: a tick must not queue behind 100 KB messages in its publisher's socket
  const publisher = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 })
  const ticker = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 })
  try {
    const run = async (): Promise<BenchRow[]> => {
      for (let i = 0; i < OTHERS; i++) {
        others.push(
          await miniSubscribe(broker.url, `bench-live-${i}`, 'bench/live', (payload) => {
            latencies.push(performance.now() - payload.readDoubleLE(0))
            received++
          }),
        )
      }
      slow = await rawWsClient(broker.url, 'bench-stalled')
      slow.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'bench/big/#', qos: 0 }] })
      await slow.next((p) => p.cmd === 'suback')
      // a paused socket never reads the close: the broker's lifecycle event tells when and why it ended
      const slowClosed = new Promise<{ at: number; reason: unknown }>((resolve) => {
        publisher.on('message', (_topic, payload) =>
          resolve({ at: performance.now(), reason: (JSON.parse(payload.toString()) as { disconnectReason?: unknown }).disconnectReason }),
        )
      })
      await publisher.subscribeAsync('$aws/events/presence/disconnected/bench-stalled')
      const big = Buffer.alloc(100 * 1024, 7)
      /** Ticks to the others and 100 KB messages to `floodTopic` for `seconds`; the others' latencies. */
      const load = async (floodTopic: string, seconds: number): Promise<{ latencies: number[]; missing: number; floodSent: number }> => {
        latencies.length = 0
        received = 0
        const started = performance.now()
        let ticks = 0
        let floodSent = 0
        await new Promise<void>((resolve) => {
          const timer = setInterval(() => {
            const elapsed = performance.now() - started
            for (; ticks < Math.floor(elapsed / TICK_MS); ticks++) {
              const payload = Buffer.alloc(8)
              payload.writeDoubleLE(performance.now(), 0)
              ticker.publish('bench/live', payload, { qos: 0 })
            }
            for (; floodSent < Math.floor((elapsed / 1000) * FLOOD_RATE); floodSent++) publisher.publish(floodTopic, big, { qos: 0 })
            rssPeak = Math.max(rssPeak, broker.rss())
            if (elapsed >= seconds * 1000) {
              clearInterval(timer)
              resolve()
            }
          }, 1)
        })
        const expected = ticks * OTHERS
        const waitUntil = performance.now() + 2000
        while (received < expected && performance.now() < waitUntil) await sleep(20)
        return { latencies: [...latencies], missing: expected - received, floodSent }
      }
      // the same load with nobody stalled: what this machine gives right now
      const rssBefore = broker.rss()
      let rssPeak = rssBefore
      const baseline = await load('bench/void', FLOOD_SECONDS / 2)
      slow.socket.pause()
      const started = performance.now()
      const stalled = await load('bench/big/room', FLOOD_SECONDS)
      const floodSent = stalled.floodSent
      const closed = await Promise.race([slowClosed, sleep(20_000).then(() => ({ at: Number.NaN, reason: 'not disconnected within 20 s' }))])
      const closedAt = closed.at
      const p99 = percentile(stalled.latencies, 99)
      const offered = round((floodSent * big.length) / MIB)
      const note = `${OTHERS} subscribers, 1 every ${TICK_MS} ms; stalled one offered ${offered} MB (100 KB × ${FLOOD_RATE}/s)`
      return [
        { bench: 'slow-consumer', metric: 'others p99 latency while one stalls', value: round(p99), unit: 'ms', target: '≤ 100', ok: p99 <= 100, note },
        { bench: 'slow-consumer', metric: 'others p50 latency while one stalls', value: round(percentile(stalled.latencies, 50)), unit: 'ms', note },
        {
          bench: 'slow-consumer',
          metric: 'others p99 latency, same load, none stalled',
          value: round(percentile(baseline.latencies, 99)),
          unit: 'ms',
          note: 'baseline of this machine right now (the flood goes to a topic nobody reads)',
        },
        { bench: 'slow-consumer', metric: 'others messages missing', value: stalled.missing, unit: 'msgs', target: '0', ok: stalled.missing === 0 },
        {
          bench: 'slow-consumer',
          metric: 'stalled subscriber disconnected after',
          value: round((closedAt - started) / 1000),
          unit: 's',
          target: '≤ 12',
          ok: closedAt - started <= 12_000 && closed.reason === 'THROTTLED',
          note: `${String(closed.reason)} past its queue limit (default 4 MiB / 2,000 packets, 10 s)`,
        },
        {
          bench: 'slow-consumer',
          metric: 'broker RSS growth during the flood',
          value: round((rssPeak - rssBefore) / MIB),
          unit: 'MB',
          note: `offered ${offered} MB`,
        },
      ]
    }
    return await Promise.race([
      run(),
      sleep(DEADLINE_MS).then((): BenchRow[] => [
        {
          bench: 'slow-consumer',
          metric: 'others p99 latency while one stalls',
          value: Number.NaN,
          unit: 'ms',
          target: '≤ 100',
          ok: false,
          note: `stalled: no result within ${DEADLINE_MS / 1000} s`,
        },
      ]),
    ])
  } finally {
    slow?.close()
    for (const o of others) o.close()
    await Promise.all([publisher.endAsync(true), ticker.endAsync(true)])
    await broker.close()
  }
})
