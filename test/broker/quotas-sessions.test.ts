import { startBroker } from '@livetopic/broker'
import { describe, expect, it } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { eventually, sleep } from '../helpers/wait.js'
import { connect, inbox } from './support.js'

const persistent = { clean: false, clientId: 'away' }

describe('quota: persistent sessions', () => {
  it('discards an offline session and its queued messages after the expiry', async () => {
    const broker = await useBroker({ logger: 'silent', quotas: { sessionExpirySeconds: 0.5 }, testing: { allowShortDurations: true } })
    const away = await connect(broker.url, persistent)
    await away.subscribeAsync('s/t', { qos: 1 })
    await away.endAsync()
    const sender = await connect(broker.url, { clientId: 'sender' })
    await sender.publishAsync('s/t', 'queued', { qos: 1 })
    await sleep(1200) // past the expiry (and the 1 s connect quota)
    const back = await connect(broker.url, persistent)
    const seen = inbox(back)
    await sleep(300)
    expect(seen).toEqual([])
    expect(Object.keys((broker.aedes as unknown as { clients: Record<string, { subscriptions: object }> }).clients.away!.subscriptions)).toEqual([])
  })

  it('keeps a session resumed within the expiry, and caps its queue: newer messages are dropped', async () => {
    const broker = await useBroker({ logger: 'silent', quotas: { queuedMessagesPerSession: 3 } })
    const denials: string[] = []
    broker.events.on('denied', (d) => denials.push(`${d.clientId}: ${d.reason}`))
    const away = await connect(broker.url, persistent)
    await away.subscribeAsync('s/t', { qos: 1 })
    await away.endAsync()
    const sender = await connect(broker.url, { clientId: 'sender' })
    for (let i = 0; i < 6; i++) await sender.publishAsync('s/t', `m${i}`, { qos: 1 })
    await sleep(1000) // the connect quota
    const back = await connect(broker.url, persistent)
    const seen = inbox(back)
    await eventually(() => seen.length >= 3)
    await sleep(300)
    expect(seen.map((m) => m.text)).toEqual(['m0', 'm1', 'm2'])
    expect(denials).toEqual(['away: more than 3 queued messages: newer ones are dropped'])
    // resumed: the cap no longer applies while it is online
    for (let i = 0; i < 5; i++) await sender.publishAsync('s/t', `live${i}`, { qos: 1 })
    await eventually(() => seen.length === 8)
  })

  it("refuses a session expiry outside IoT's 1 h–7 days unless short durations are allowed", async () => {
    await expect(startBroker({ logger: 'silent', quotas: { sessionExpirySeconds: 8 * 86_400 } })).rejects.toThrow(RangeError)
    await expect(startBroker({ logger: 'silent', quotas: { sessionExpirySeconds: 60 } })).rejects.toThrow(/3600–604800/)
    await expect(startBroker({ logger: 'silent', quotas: { subscriptionsPerConnection: -1 } })).rejects.toThrow(/subscriptionsPerConnection/)
  })
})
