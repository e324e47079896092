// The page of the Chromium receive benchmark: raw MQTT.js (its browser build) and livetopic on
// each transport, in one bundle, so all three run in the same page. Each run drains a stored
// session (clean: false) and reports msgs/s between the first and the last arrival.
import mqtt from 'mqtt'
import { createClient } from '@livetopic/core'
import { mqttTransport } from '@livetopic/core/mqtt'

interface Run {
  rate: number
  lost: number
}

function meter(count: number): { tick(): void; done: Promise<Run> } {
  let received = 0
  let first = 0
  let last = 0
  let finish!: (run: Run) => void
  const done = new Promise<Run>((resolve) => (finish = resolve))
  let seen = -1
  // messages lost on the way must not hang the benchmark
  const watch = setInterval(() => {
    if (received === seen) end()
    seen = received
  }, 2000)
  function end(): void {
    clearInterval(watch)
    finish({ rate: received > 1 ? ((received - 1) * 1000) / (last - first) : 0, lost: count - received })
  }
  return {
    tick() {
      last = performance.now()
      if (received++ === 0) first = last
      if (received === count) end()
    },
    done,
  }
}

async function raw(url: string, clientId: string, topic: string, count: number): Promise<Run> {
  const m = meter(count)
  let sink = 0
  const client = mqtt.connect(url, { clientId, clean: false, reconnectPeriod: 0 })
  client.on('message', (name, payload) => {
    if (name !== topic) return
    sink += (JSON.parse(new TextDecoder().decode(payload)) as { seq: number }).seq
    m.tick()
  })
  const run = await m.done
  client.end(true)
  return { ...run, rate: sink >= 0 ? run.rate : 0 }
}

async function live(url: string, clientId: string, topic: string, count: number, transport: 'builtin' | 'mqttjs', qos: 0 | 1): Promise<Run> {
  const m = meter(count)
  const client = createClient({ url, clientId, clean: false, unsubscribeDelay: 0, ...(transport === 'mqttjs' ? { transport: mqttTransport } : {}) })
  const stop = client.topic<{ seq: number }>(topic, { qos }).listen((state) => {
    if (state.message) m.tick()
  })
  const run = await m.done
  stop()
  await client.close()
  return run
}

;(globalThis as { bench?: unknown }).bench = { raw, live }
