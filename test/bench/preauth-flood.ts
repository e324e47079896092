// Pre-authentication flood (issue 25): 600 WebSocket connections each send one message of 16,383
// one-byte fragments (7 bytes a frame, 69 MB in all) and never a CONNECT. ws keeps every fragment
// as its own buffer until the message ends, which took the broker from 131 MB to 1,206 MB RSS.
// Reported: the broker's RSS growth (child process, /proc) and how long a legitimate client on
// another address takes to connect during the flood. @livetopic/broker runs with its default caps.
import type { Socket } from 'node:net'
import mqtt from 'mqtt'
import WebSocket from 'ws'
import { startChildBroker } from './lib/livetopic-broker.js'
import { main, SHORT, type BenchRow } from './lib/result.js'
import { round, sleep } from './lib/stats.js'

const CONNECTIONS = SHORT ? 200 : 600
const FRAGMENTS = 16_383
const DEADLINE_MS = 60_000
const MB = 1024 * 1024

/** 16,383 masked (key 0) one-byte frames: a binary first fragment, then continuations, none final. */
function fragmentFlood(): Buffer {
  const flood = Buffer.alloc(FRAGMENTS * 7)
  for (let i = 0; i < FRAGMENTS; i++) {
    flood[i * 7] = i === 0 ? 0x02 : 0x00
    flood[i * 7 + 1] = 0x81
    flood[i * 7 + 6] = 0x10
  }
  return flood
}

/** Opens a WebSocket and writes the flood on its socket; resolves when it was sent or refused. */
function flood(url: string, bytes: Buffer, sockets: WebSocket[]): Promise<'sent' | 'refused'> {
  const ws = new WebSocket(url, 'mqtt')
  sockets.push(ws)
  return new Promise((resolve) => {
    ws.once('open', () => {
      ;(ws as unknown as { _socket: Socket })._socket.write(bytes, () => resolve('sent'))
    })
    ws.once('unexpected-response', () => resolve('refused'))
    ws.once('error', () => resolve('refused'))
    ws.once('close', () => resolve('refused'))
  })
}

main(async () => {
  const broker = await startChildBroker()
  const sockets: WebSocket[] = []
  try {
    const run = async (): Promise<BenchRow[]> => {
      await sleep(500)
      const rssBefore = broker.rss()
      let rssPeak = rssBefore
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, broker.rss())), 20)
      const bytes = fragmentFlood()
      const floods = Array.from({ length: CONNECTIONS }, () => flood(broker.url, bytes, sockets))
      // a legitimate client on another address, while the flood is on
      await sleep(200)
      const started = performance.now()
      const legit = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0, connectTimeout: 10_000, wsOptions: { localAddress: '127.0.0.2' } })
      const connectMs = performance.now() - started
      await legit.endAsync(true)
      const outcomes = await Promise.all(floods)
      await sleep(1000)
      clearInterval(sampler)
      const growth = (rssPeak - rssBefore) / MB
      const sent = outcomes.filter((o) => o === 'sent').length
      const note = `${CONNECTIONS} connections × ${FRAGMENTS} one-byte fragments (${round((CONNECTIONS * bytes.length) / MB)} MB offered); ${CONNECTIONS - sent} refused at the upgrade`
      return [
        { bench: 'preauth-flood', metric: 'broker RSS growth', value: round(growth), unit: 'MB', target: '< 100', ok: growth < 100, note },
        { bench: 'preauth-flood', metric: 'legitimate client connect time during the flood', value: round(connectMs), unit: 'ms', target: '< 1000', ok: connectMs < 1000, note: 'from 127.0.0.2' },
      ]
    }
    return await Promise.race([
      run(),
      sleep(DEADLINE_MS).then((): BenchRow[] => [
        { bench: 'preauth-flood', metric: 'broker RSS growth', value: Number.NaN, unit: 'MB', target: '< 100', ok: false, note: `stalled: no result within ${DEADLINE_MS / 1000} s` },
      ]),
    ])
  } finally {
    for (const ws of sockets) ws.terminate()
    await broker.close()
  }
})
