import mqtt from 'mqtt'
import { afterEach, expect, it } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { eventually } from '../helpers/wait.js'

const cleanup: (() => Promise<unknown>)[] = []
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((fn) => fn()))
})

// a plain MQTT.js client, so the order checked is the broker's, not livetopic's
it('delivers a resuming session its stored QoS 1 messages before the live ones (order per topic)', async () => {
  const broker = await useBroker()
  const away = await mqtt.connectAsync(broker.url, { clientId: 'resumer', clean: false, reconnectPeriod: 0 })
  await away.subscribeAsync('jobs/+', { qos: 1 })
  await away.endAsync(true)
  const raw = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 })
  cleanup.push(() => raw.endAsync(true))
  for (let i = 1; i <= 10; i++) await raw.publishAsync('jobs/queue', String(i), { qos: 1 })
  // publish 11–20 the moment the CONNACK goes out, while the stored queue streams
  broker.aedes.on('connackSent', (_packet, client) => {
    if (client.id === 'resumer') for (let i = 11; i <= 20; i++) void raw.publishAsync('jobs/queue', String(i), { qos: 1 })
  })
  const got: number[] = []
  const back = mqtt.connect(broker.url, { clientId: 'resumer', clean: false, reconnectPeriod: 0 })
  cleanup.push(() => back.endAsync(true))
  back.on('message', (_topic, payload) => got.push(Number(payload.toString())))
  await eventually(() => got.length >= 20, 5000, '20 messages')
  expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
})
