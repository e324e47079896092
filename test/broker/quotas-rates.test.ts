import { describe, expect, it } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { useDefaultBroker } from './quota-support.js'
import { eventually, sleep } from '../helpers/wait.js'
import { closed, connect, lifecycleLog, refusal } from './support.js'

describe('quota: connects per second per client id', () => {
  it("refuses IoT's second CONNECT within a second for one client id with CONNACK 3; another id and a later one connect", async () => {
    const broker = await useDefaultBroker()
    const first = await connect(broker.url, { clientId: 'rate-1' })
    await first.endAsync()
    expect(await refusal(broker.url, { clientId: 'rate-1' })).toBe(3)
    await connect(broker.url, { clientId: 'rate-2' })
    await sleep(1100)
    await connect(broker.url, { clientId: 'rate-1' })
  })

  it('can be raised', async () => {
    const broker = await useBroker({ logger: 'silent', quotas: { connectsPerSecondPerClientId: 10 } })
    for (let i = 0; i < 3; i++) await (await connect(broker.url, { clientId: 'quick' })).endAsync()
  })
})

describe('quota: publishes per second per connection', () => {
  it('lets a burst of the quota through, then closes a connection that keeps going (THROTTLED)', async () => {
    const broker = await useBroker({ logger: 'silent', quotas: { publishesPerSecondPerConnection: 5 } })
    const log = lifecycleLog(broker)
    const received: string[] = []
    const listener = await connect(broker.url, { clientId: 'listener' })
    await listener.subscribeAsync('rate/t')
    listener.on('message', (_t, payload) => received.push(payload.toString()))
    const talker = await connect(broker.url, { clientId: 'talker' })
    for (let i = 0; i < 5; i++) await talker.publishAsync('rate/t', `m${i}`, { qos: 1 })
    const gone = closed(talker)
    for (let i = 5; i < 20; i++) talker.publish('rate/t', `m${i}`)
    await gone
    await eventually(() => log.some((e) => e.topic === '$aws/events/presence/disconnected/talker'))
    expect(log.find((e) => e.topic === '$aws/events/presence/disconnected/talker')!.payload.disconnectReason).toBe('THROTTLED')
    await eventually(() => received.length >= 5)
    expect(received.slice(0, 5)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4'])
    expect(received).not.toContain('m19')
  })

  it("allows IoT's 100 a second by default", async () => {
    const broker = await useDefaultBroker()
    const talker = await connect(broker.url, { clientId: 'steady' })
    for (let i = 0; i < 100; i++) talker.publish('rate/steady', 'x')
    await sleep(1000)
    for (let i = 0; i < 90; i++) talker.publish('rate/steady', 'x')
    await talker.publishAsync('rate/steady', 'last', { qos: 1 })
    expect(talker.connected).toBe(true)
  })
})
