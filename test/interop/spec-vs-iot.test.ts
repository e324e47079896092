// Where Mosquitto (the MQTT spec) and our aedes stand-in (AWS IoT Core's behaviour) differ, the same
// client code is run against both and each expectation says which behaviour is the standard one.
import { createClient, type LiveTopicClient } from '@livetopic/core'
import mqtt from 'mqtt'
import { describe, expect, it } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { useMosquittoSuite } from '../helpers/mosquitto-suite.js'
import { eventually, sleep, waitFor } from '../helpers/wait.js'

const suite = useMosquittoSuite()
const clients = suite.clients

const targets = [
  { name: 'Mosquitto (MQTT spec)', spec: true, url: () => Promise.resolve(suite.mosquitto.url) },
  { name: 'aedes stand-in (AWS IoT Core)', spec: false, url: async () => (await useBroker({ logger: 'silent' })).url },
]

describe.each(targets)('$name', ({ spec, url }) => {
  const client = (brokerUrl: string): LiveTopicClient => {
    const live = createClient({ url: brokerUrl })
    clients.push(live)
    return live
  }

  it(`"a/#" ${spec ? 'matches' : 'does not match'} "a" (spec 4.7.1.2: it does; IoT Core: it does not)`, async () => {
    const live = client(await url())
    const topics: string[] = []
    live.onMessage('diff/parent/#', (m) => topics.push(m.topic))
    await waitFor(live.status, (s) => s.status === 'connected')
    await eventually(async () => {
      await live.publish('diff/parent/probe', 1, { qos: 1 })
      return topics.length > 0
    })
    await live.publish('diff/parent', 2, { qos: 1 })
    await live.publish('diff/parent/child', 3, { qos: 1 })
    await eventually(() => topics.includes('diff/parent/child'))
    await sleep(100)
    expect(topics.includes('diff/parent')).toBe(spec)
  })

  it(`a retained message reaches ${spec ? 'exact and wildcard' : 'only exact'} subscriptions (spec 3.3.1.3: any match; IoT: exact only)`, async () => {
    // one broker for both clients (the stand-in starts a fresh one per url() call)
    const brokerUrl = await url()
    const writer = client(brokerUrl)
    await writer.publish(`diff/retained/${spec}`, { v: 1 }, { qos: 1, retain: true })
    // two readers: one client's message is dispatched to all its matching stores, whichever
    // subscription the broker delivered it for (3.1.1 has no subscription identifiers)
    const exact = client(brokerUrl).topic(`diff/retained/${spec}`)
    const wild = client(brokerUrl).topic('diff/retained/+')
    const offs = [exact.listen(() => {}), wild.listen(() => {})]
    await waitFor(exact, (v) => v.data !== undefined)
    await waitFor(wild, (v) => v.status === 'subscribed')
    await sleep(200)
    expect(wild.get().data !== undefined).toBe(spec)
    offs.forEach((off) => off())
    await writer.publish(`diff/retained/${spec}`, '', { qos: 1, retain: true })
  })

  it(`QoS 2 subscriptions are granted ${spec ? 'QoS 2' : 'QoS 1'} (IoT Core has no QoS 2)`, async () => {
    const base = await url()
    const raw = await mqtt.connectAsync(base, { reconnectPeriod: 0 })
    try {
      const granted = await raw.subscribeAsync('diff/qos2', { qos: 2 })
      expect(granted.map((g) => g.qos)).toEqual([spec ? 2 : 1])
    } finally {
      await raw.endAsync()
    }
  })

  // both speak MQTT 5 now (the stand-in on aedes 2, as IoT Core does)
  it('an MQTT 5 client connects', async () => {
    const live = createClient({ url: await url(), protocolVersion: 5, reconnect: { maxAttempts: 1 } })
    clients.push(live)
    live.connect()
    const state = await waitFor(live.status, (s) => s.status === 'connected' || s.status === 'failed')
    expect(state.status).toBe('connected')
  })
})
