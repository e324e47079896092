// Load: 10,000 distinct filters come and go through topic stores. Every SUBSCRIBE is matched by an
// UNSUBSCRIBE (the broker ends with zero subscriptions for the client) and nothing piles up
// listeners (a MaxListenersExceededWarning fails the test).
import { awsIotProfile } from '@livetopic/core/aws'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { aedesClients } from '../helpers/aedes-clients.js'
import { useBroker } from '../helpers/broker.js'
import { countDrops, useClient } from '../helpers/clients.js'
import { eventually, sleep, waitFor } from '../helpers/wait.js'

const CYCLES = 10_000
const BATCH = 250

describe('subscribe/unsubscribe churn', () => {
  const warnings: Error[] = []
  const onWarning = (warning: Error): void => void warnings.push(warning)
  beforeEach(() => void process.on('warning', onWarning))
  afterEach(() => void process.off('warning', onWarning))

  it(`${CYCLES} listen/unlisten cycles on distinct filters leave the broker with 0 subscriptions`, async () => {
    const broker = await useBroker({ logger: 'silent' })
    // the stand-in enforces IoT's 8 filters per SUBSCRIBE; the AWS profile batches accordingly
    const live = useClient({ url: broker.url, unsubscribeDelay: 10, profile: awsIotProfile })
    // what the broker saw: aedes emits 'unsubscribe' more than once per filter here, so count distinct filters
    const subscribedFilters = new Set<string>()
    const unsubscribedFilters = new Set<string>()
    let subscribed = 0
    broker.aedes.on('subscribe', (subs) => {
      subscribed += subs.length
      for (const s of subs) subscribedFilters.add(s.topic)
    })
    broker.aedes.on('unsubscribe', (topics) => {
      for (const t of topics) unsubscribedFilters.add(t)
    })
    // one long-lived store keeps the connection busy and must survive the churn
    const keeper = live.topic<number>('churn/keeper')
    const offKeeper = keeper.listen(() => {})
    await waitFor(keeper, (v) => v.status === 'subscribed')
    const drops = countDrops(live)

    for (let start = 0; start < CYCLES; start += BATCH) {
      const offs = []
      for (let i = start; i < start + BATCH; i++) offs.push(live.topic(`churn/${i % 50}/+/item-${i}`).listen(() => {}))
      // let the batch's SUBSCRIBE leave before the listeners do
      await sleep(5)
      for (const off of offs) off()
    }
    // nanostores stops a store 1 s after its last listener; then the 10 ms UNSUBSCRIBE delay
    await eventually(() => unsubscribedFilters.size === CYCLES, 20_000, `${CYCLES} unsubscribed filters (have ${unsubscribedFilters.size})`)
    expect(subscribed).toBe(CYCLES + 1)
    expect(subscribedFilters.size).toBe(CYCLES + 1)
    expect([...subscribedFilters].filter((f) => !unsubscribedFilters.has(f))).toEqual(['churn/keeper'])
    // aedes' own view of the client's subscriptions: only the keeper left
    const [client] = aedesClients(broker)
    expect(Object.keys(client?.subscriptions ?? {})).toEqual(['churn/keeper'])

    await live.publish('churn/keeper', 1, { qos: 1 })
    expect((await waitFor(keeper, (v) => v.data !== undefined)).data).toBe(1)
    expect(live.status.get().status).toBe('connected')
    expect(drops()).toBe(0)
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([])
    offKeeper()
  }, 60_000)

  it('re-listening to the same filter inside the unsubscribe delay costs no new SUBSCRIBE', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const live = useClient({ url: broker.url })
    let subscribes = 0
    let unsubscribes = 0
    broker.aedes.on('subscribe', (subs) => void (subscribes += subs.length))
    broker.aedes.on('unsubscribe', (topics) => void (unsubscribes += topics.length))
    const store = live.topic('churn/remount')
    for (let i = 0; i < 1000; i++) {
      const off = store.listen(() => {})
      if (i === 0) await waitFor(store, (v) => v.status === 'subscribed')
      off()
    }
    const off = store.listen(() => {})
    await sleep(1500)
    expect(subscribes).toBe(1)
    expect(unsubscribes).toBe(0)
    off()
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([])
  })
})
