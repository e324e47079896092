// 6. Cold start: from createClient (or mqtt.connect) to the first message on a fresh connection.
// The message is retained on the topic, so it arrives right after the SUBACK. Alternated, median;
// on Mosquitto and on @livetopic/broker (Mosquitto's WebSocket listener takes ~200 ms to answer a
// CONNECT here, a known libwebsockets/Nagle effect, which hides the client's own share).
import mqtt from 'mqtt'
// Node 20 has no global WebSocket: the built-in transport gets `ws`'s
import { WebSocket } from 'ws'
import { createClient } from '@livetopic/core'
import { startChildBroker } from './lib/livetopic-broker.js'
import { startMosquitto } from './lib/mosquitto.js'
import { main, SHORT, type BenchRow } from './lib/result.js'
import { median, round } from './lib/stats.js'

const RUNS = SHORT ? 3 : 30
const TOPIC = 'bench/cold/retained'

async function raw(wsUrl: string): Promise<number> {
  const start = performance.now()
  const client = mqtt.connect(wsUrl, { reconnectPeriod: 0 })
  const took = await new Promise<number>((resolve, reject) => {
    client.once('connect', () => client.subscribe(TOPIC))
    client.once('message', (_t, payload) => {
      JSON.parse(payload.toString())
      resolve(performance.now() - start)
    })
    client.once('error', reject)
  })
  await client.endAsync(true)
  return took
}

async function livetopic(wsUrl: string): Promise<number> {
  const start = performance.now()
  const client = createClient({ url: wsUrl, WebSocket })
  let stop = (): void => {}
  const took = await new Promise<number>((resolve) => {
    stop = client.topic(TOPIC).listen((state) => {
      if (state.message) resolve(performance.now() - start)
    })
  })
  stop()
  await client.close()
  return took
}

async function measureOn(name: string, wsUrl: string, publishUrl: string): Promise<BenchRow[]> {
  const publisher = await mqtt.connectAsync(publishUrl, { reconnectPeriod: 0 })
  await publisher.publishAsync(TOPIC, JSON.stringify({ hello: 'world' }), { qos: 1, retain: true })
  await publisher.endAsync()
  // warm-up of both, not counted
  await raw(wsUrl)
  await livetopic(wsUrl)
  const r: number[] = []
  const l: number[] = []
  for (let i = 0; i < RUNS; i++) {
    if (i % 2 === 0) {
      r.push(await raw(wsUrl))
      l.push(await livetopic(wsUrl))
    } else {
      l.push(await livetopic(wsUrl))
      r.push(await raw(wsUrl))
    }
  }
  const note = `${name} over ws://127.0.0.1, retained message, median of ${RUNS}`
  return [
    { bench: 'cold-start', metric: `${name}: raw MQTT.js connect → first message`, value: round(median(r)), unit: 'ms', note },
    { bench: 'cold-start', metric: `${name}: livetopic createClient → first message`, value: round(median(l)), unit: 'ms', note },
    { bench: 'cold-start', metric: `${name}: livetopic ÷ raw`, value: round(median(l) / median(r)), unit: 'ratio', note },
  ]
}

main(async () => {
  const mosquitto = await startMosquitto()
  const ours = await startChildBroker()
  try {
    return [...(await measureOn('Mosquitto 2.0.11', mosquitto.wsUrl, mosquitto.tcpUrl)), ...(await measureOn('@livetopic/broker', ours.url, ours.url))]
  } finally {
    await mosquitto.close()
    await ours.close()
  }
})
