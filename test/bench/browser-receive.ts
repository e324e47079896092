// Receive throughput in Chromium: raw MQTT.js versus a livetopic topic store on the built-in
// transport and on MQTT.js, all three in one page (playwright-core, Debian's /usr/bin/chromium),
// rotated, median of the runs. The publisher is outside the browser: each run's messages are queued
// first in the subscriber's stored session on Mosquitto, then the page connects and drains them.
import { createServer, type Server } from 'node:http'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import mqtt from 'mqtt'
import { launchChromium } from '../e2e/support/chromium.js'
import { freePort } from '../helpers/free-port.js'
import { SOURCE_CONDITION } from '../helpers/source-entries.js'
import { startMosquitto } from './lib/mosquitto.js'
import { startPublisher, type Publisher } from './lib/publisher.js'
import { main, SHORT, type BenchRow } from './lib/result.js'
import { median, round } from './lib/stats.js'

const COUNT = Number(process.env.BENCH_COUNT) || (SHORT ? 2_000 : 20_000)
const RUNS = SHORT ? 1 : 5
type Contender = 'raw' | 'builtin' | 'mqttjs'
const root = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url))

async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [root('test/bench/lib/browser-receive-page.ts')],
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: [SOURCE_CONDITION],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  })
  return result.outputFiles[0]!.text
}

async function serve(script: string): Promise<{ url: string; server: Server }> {
  const port = await freePort()
  const server = createServer((req, res) => {
    if (req.url === '/page.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script type="module" src="/page.js"></script>')
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${port}/`, server }
}

async function preload(tcpUrl: string, publisher: Publisher, clientId: string, topic: string, qos: 0 | 1): Promise<void> {
  const setup = await mqtt.connectAsync(tcpUrl, { clientId, clean: false, reconnectPeriod: 0 })
  await setup.subscribeAsync(topic, { qos: 1 })
  await setup.endAsync()
  await publisher.publish(topic, COUNT, qos)
}

main(async () => {
  const broker = await startMosquitto()
  const publisher = await startPublisher(broker.tcpUrl)
  const { url, server } = await serve(await bundlePage())
  const browser = await launchChromium()
  const rows: BenchRow[] = []
  try {
    const page = await browser.newPage()
    await page.goto(url)
    await page.waitForFunction(() => 'bench' in globalThis)
    for (const qos of [0, 1] as const) {
      const runs: Record<Contender, number[]> = { raw: [], builtin: [], mqttjs: [] }
      const order: Contender[] = ['raw', 'builtin', 'mqttjs']
      for (let i = SHORT ? 1 : 0; i <= RUNS; i++) {
        for (const which of [...order.slice(i % 3), ...order.slice(0, i % 3)]) {
          const clientId = `browser-${qos}-${i}-${which}`
          const topic = `bench/browser/${qos}/${i}/${which}`
          await preload(broker.tcpUrl, publisher, clientId, topic, qos)
          const run = await page.evaluate(
            ([w, u, c, t, n, q]) => {
              type Run = Promise<{ rate: number; lost: number }>
              type Bench = {
                raw: (url: string, clientId: string, topic: string, count: number) => Run
                live: (url: string, clientId: string, topic: string, count: number, transport: 'builtin' | 'mqttjs', qos: 0 | 1) => Run
              }
              const bench = (globalThis as unknown as { bench: Bench }).bench
              return w === 'raw' ? bench.raw(u, c, t, n) : bench.live(u, c, t, n, w, q)
            },
            [which, broker.wsUrl, clientId, topic, COUNT, qos] as const,
          )
          if (i > 0) runs[which].push(run.rate)
        }
      }
      const rate = (w: Contender): number => median(runs[w])
      const note = `Chromium (Debian), Mosquitto 2.0.11, ${COUNT} msgs, median of ${RUNS}`
      rows.push(
        { bench: 'browser-receive', metric: `QoS ${qos} raw MQTT.js + JSON.parse`, value: round(rate('raw')), unit: 'msg/s', note },
        { bench: 'browser-receive', metric: `QoS ${qos} livetopic, built-in transport`, value: round(rate('builtin')), unit: 'msg/s', note },
        { bench: 'browser-receive', metric: `QoS ${qos} livetopic, MQTT.js transport`, value: round(rate('mqttjs')), unit: 'msg/s', note },
        {
          bench: 'browser-receive',
          metric: `QoS ${qos} built-in ÷ raw MQTT.js`,
          value: round(rate('builtin') / rate('raw')),
          unit: 'ratio',
          target: '≥ 1.0',
          ok: rate('builtin') / rate('raw') >= 1,
          note,
        },
      )
    }
  } finally {
    await browser.close()
    server.close()
    publisher.close()
    await broker.close()
  }
  return rows
})
