// Pre-authentication flood (issue 25): 600 WebSocket connections each send one message of 16,383
// one-byte fragments (7 bytes a frame, 69 MB in all) and never a CONNECT. ws keeps every fragment
// as its own buffer until the message ends, which took the broker from 131 MB to 1,206 MB RSS.
// Reported: the broker's RSS growth (child process, /proc) and how long a legitimate client on
// another address takes to connect during the flood (the flood runs in a third process).
// @livetopic/broker runs with its default caps.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import mqtt from 'mqtt'
import { startChildBroker } from './lib/livetopic-broker.js'
import { main, SHORT, type BenchRow } from './lib/result.js'
import { round, sleep } from './lib/stats.js'

const CONNECTIONS = SHORT ? 200 : 600
const FRAGMENTS = 16_383
const DEADLINE_MS = 60_000
const MB = 1024 * 1024

interface FloodMessage {
  started?: boolean
  offeredBytes?: number
  sent?: number
  refused?: number
}

main(async () => {
  const broker = await startChildBroker()
  const attacker = fork(fileURLToPath(new URL('./lib/fragment-flood-child.ts', import.meta.url)), [broker.url, String(CONNECTIONS), String(FRAGMENTS)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const messages: FloodMessage[] = []
  const waiters: (() => void)[] = []
  attacker.on('message', (m) => {
    messages.push(m as FloodMessage)
    for (const w of waiters.splice(0)) w()
  })
  const next = async (has: (m: FloodMessage) => boolean): Promise<FloodMessage> => {
    for (;;) {
      const found = messages.find(has)
      if (found) return found
      await new Promise<void>((resolve) => waiters.push(resolve))
    }
  }
  try {
    const run = async (): Promise<BenchRow[]> => {
      await sleep(500)
      const legitConnect = async (): Promise<number> => {
        const started = performance.now()
        const legit = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0, connectTimeout: 10_000, wsOptions: { localAddress: '127.0.0.2' } })
        const ms = performance.now() - started
        await legit.endAsync(true)
        return ms
      }
      // what a connect takes on this machine right now, without the flood
      const quietMs = await legitConnect()
      const rssBefore = broker.rss()
      let rssPeak = rssBefore
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, broker.rss())), 20)
      attacker.send('go')
      const { offeredBytes } = await next((m) => m.started === true)
      // a legitimate client on another address, while the flood is on
      await sleep(200)
      const connectMs = await legitConnect()
      const outcome = await next((m) => m.sent !== undefined)
      await sleep(1000)
      clearInterval(sampler)
      const growth = (rssPeak - rssBefore) / MB
      const note = `${CONNECTIONS} connections × ${FRAGMENTS} one-byte fragments (${round(offeredBytes! / MB)} MB offered); ${outcome.refused} refused at the upgrade`
      return [
        { bench: 'preauth-flood', metric: 'broker RSS growth', value: round(growth), unit: 'MB', target: '< 100', ok: growth < 100, note },
        {
          bench: 'preauth-flood',
          metric: 'legitimate client connect time during the flood',
          value: round(connectMs),
          unit: 'ms',
          target: '< 1000',
          ok: connectMs < 1000,
          note: 'from 127.0.0.2',
        },
        {
          bench: 'preauth-flood',
          metric: 'legitimate client connect time, no flood',
          value: round(quietMs),
          unit: 'ms',
          note: 'baseline of this machine right now',
        },
      ]
    }
    return await Promise.race([
      run(),
      sleep(DEADLINE_MS).then((): BenchRow[] => [
        {
          bench: 'preauth-flood',
          metric: 'broker RSS growth',
          value: Number.NaN,
          unit: 'MB',
          target: '< 100',
          ok: false,
          note: `stalled: no result within ${DEADLINE_MS / 1000} s`,
        },
      ]),
    ])
  } finally {
    attacker.disconnect()
    await broker.close()
  }
})
