import type { RunningBroker } from '@livetopic/broker'
import { createClient, LiveTopicError, type ConnectionStatus } from '@livetopic/core'
import mqtt from 'mqtt'
import { describe, expect, it } from 'vitest'
import { countPackets, useBroker } from '../helpers/broker.js'
import { useClient } from '../helpers/clients.js'
import { eventually, sleep, waitFor } from '../helpers/wait.js'

const fast = { initialDelay: 50, maxDelay: 200, stableAfter: 60_000 }

describe('connection', () => {
  it('connects lazily, on the first listener', async () => {
    const broker = await useBroker()
    const live = useClient({ url: broker.url })
    await sleep(50)
    expect(live.status.get().status).toBe('idle')
    expect(broker.aedes.connectedClients).toBe(0)
    live.topic('x').listen(() => {})
    await waitFor(live.status, (s) => s.status === 'connected')
    expect(live.status.get()).toMatchObject({ status: 'connected', clientId: live.clientId })
    expect(live.clientId).toMatch(/^livetopic-/)
    expect(createClient({ url: broker.url }).clientId).not.toBe(live.clientId)
  })

  it('goes reconnecting → connected when the broker restarts, restores filters, and messages flow again', async () => {
    let broker: RunningBroker = await useBroker()
    const port = broker.port
    let urlCalls = 0
    const live = useClient({ url: () => (urlCalls++, broker.url), reconnect: fast })
    const store = live.topic<string>('news/+')
    store.listen(() => {})
    await waitFor(store, (s) => s.status === 'subscribed')
    const statuses: ConnectionStatus[] = []
    live.status.listen((s) => statuses.push(s.status))

    await broker.close()
    await waitFor(live.status, (s) => s.status === 'reconnecting')
    expect(live.status.get().error?.code).toMatch(/CONNECTION_(LOST|FAILED)/)
    await sleep(300)
    broker = await useBroker({ port })
    const seen = countPackets(broker)
    await waitFor(live.status, (s) => s.status === 'connected', 5000)
    await waitFor(store, (s) => s.status === 'subscribed')
    expect(seen.subscribes).toEqual([['news/+']])
    expect(urlCalls).toBeGreaterThan(1) // the provider is asked again on every attempt
    expect(statuses).toContain('reconnecting')
    expect(live.status.get().error).toBeUndefined()

    const raw = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 })
    await raw.publishAsync('news/today', '"back"')
    expect((await waitFor(store, (s) => s.data === 'back')).data).toBe('back')
    await raw.endAsync()
  })

  it('queues publishes while offline and sends them in order after reconnect; overflow rejects QUEUE_FULL', async () => {
    const probe = await useBroker()
    const port = probe.port
    await probe.close()
    const live = useClient({ url: `ws://127.0.0.1:${port}/mqtt`, reconnect: fast, queueLimit: 5 })
    const sent = [1, 2, 3, 4, 5].map((n) => live.publish('orders', { n }, { qos: 1 }))
    await expect(live.publish('orders', { n: 6 })).rejects.toMatchObject({ code: 'QUEUE_FULL' })
    await waitFor(live.status, (s) => s.status === 'connecting' && s.attempt >= 2)

    const broker = await useBroker({ port })
    const received: number[] = []
    broker.aedes.on('publish', (packet, client) => {
      if (client && packet.topic === 'orders') received.push((JSON.parse(packet.payload.toString()) as { n: number }).n)
    })
    await Promise.all(sent)
    await eventually(() => received.length === 5)
    expect(received).toEqual([1, 2, 3, 4, 5])
  })

  it('resolves a QoS 1 publish only once the broker has it (PUBACK)', async () => {
    const broker = await useBroker()
    const got: string[] = []
    broker.aedes.on('publish', (packet, client) => {
      if (client) got.push(packet.topic)
    })
    const live = useClient({ url: broker.url })
    await live.publish('acked/topic', { a: 1 }, { qos: 1 })
    expect(got).toContain('acked/topic')
  })

  it('rejects invalid publishes with typed errors before sending anything', async () => {
    const live = useClient({ url: 'ws://127.0.0.1:9/mqtt' })
    await expect(live.publish('a/+/b', 1)).rejects.toMatchObject({ code: 'INVALID_TOPIC' })
    await expect(live.publish('', 1)).rejects.toMatchObject({ code: 'INVALID_TOPIC' })
    await expect(live.publish('ok', undefined)).rejects.toMatchObject({ code: 'ENCODE_FAILED' })
    expect(live.status.get().status).toBe('idle')
  })

  it('reports a refused login as NOT_AUTHORIZED and stops instead of retrying in a loop', async () => {
    const broker = await useBroker()
    let attempts = 0
    broker.aedes.authenticate = (_client, _user, _pass, done) => {
      attempts++
      done(Object.assign(new Error('no'), { returnCode: 5 }), false)
    }
    const live = useClient({ url: broker.url, reconnect: fast, username: 'u', password: 'hunter2-secret' })
    live.topic('t').listen(() => {})
    const state = await waitFor(live.status, (s) => s.status === 'failed')
    expect(state.error?.code).toBe('NOT_AUTHORIZED')
    await sleep(500)
    expect(attempts).toBe(1)
    expect(JSON.stringify(state)).not.toContain('hunter2')
    // an explicit reconnect() tries again
    live.reconnect()
    await eventually(() => attempts === 2)
  })

  it('a refused login with a URL provider also stops in failed; reconnect() asks the provider again', async () => {
    const broker = await useBroker()
    let attempts = 0
    broker.aedes.authenticate = (_client, _user, password, done) => {
      attempts++
      if (password?.toString() === 'fresh-token') return done(null, true)
      done(Object.assign(new Error('no'), { returnCode: 4 }), false)
    }
    let token = 'expired-token'
    const live = useClient({ url: () => broker.url, reconnect: { ...fast, maxDelay: 50 }, username: 'u', password: () => token })
    live.connect()
    const state = await waitFor(live.status, (s) => s.status === 'failed')
    expect(state.error?.code).toBe('NOT_AUTHORIZED')
    await sleep(300) // six maxDelays: nothing retries on its own
    expect(attempts).toBe(1)
    token = 'fresh-token'
    live.reconnect()
    await waitFor(live.status, (s) => s.status === 'connected')
    expect(attempts).toBe(2)
  })

  it('refuses a password without a username under MQTT 3.1.1 at createClient', () => {
    expect(() => createClient({ url: 'ws://127.0.0.1:9/mqtt', password: 'p' })).toThrow(/username/)
  })

  it('never shows the token of a URL in errors', async () => {
    const live = useClient({
      url: () => 'ws://127.0.0.1:9/mqtt?x-amz-customauthorizer-name=A&myToken=s3cr3t-value&x-amz-customauthorizer-signature=c2ln',
      reconnect: fast,
    })
    live.connect()
    const state = await waitFor(live.status, (s) => s.error !== undefined)
    const text = `${state.error?.message} ${String((state.error as Error & { cause?: Error }).cause?.message)}`
    expect(text).not.toContain('s3cr3t')
    expect(text).not.toContain('c2ln')
  })

  it('shows URL_PROVIDER_FAILED when the provider throws, and recovers when it works again', async () => {
    const broker = await useBroker()
    let fail = true
    const live = useClient({
      // a provider whose promise rejects, as an async credentials fetch does
      url: () => (fail ? Promise.reject(new Error('credentials expired token=abc123secret')) : Promise.resolve(broker.url)),
      reconnect: fast,
    })
    live.connect()
    const state = await waitFor(live.status, (s) => s.error?.code === 'URL_PROVIDER_FAILED')
    expect(state.error?.message).not.toContain('abc123secret')
    fail = false
    await waitFor(live.status, (s) => s.status === 'connected')
  })

  it('close() ends the stores and rejects publishes with CLOSED', async () => {
    const broker = await useBroker()
    const live = createClient({ url: broker.url })
    const store = live.topic('bye')
    store.listen(() => {})
    await waitFor(store, (s) => s.status === 'subscribed')
    await live.close()
    expect(store.get().error?.code).toBe('CLOSED')
    expect(live.status.get().status).toBe('offline')
    await expect(live.publish('bye', 1)).rejects.toBeInstanceOf(LiveTopicError)
    await eventually(() => broker.aedes.connectedClients === 0)
  })
})
