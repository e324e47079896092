// Fault: the URL provider throws or hangs (expired credentials, a token endpoint down). The status
// says URL_PROVIDER_FAILED, attempts back off, and the client recovers once the provider works.
import { describe, expect, it } from 'vitest'
import { aedesClients } from '../helpers/aedes-clients.js'
import { useBroker } from '../helpers/broker.js'
import { useClient } from '../helpers/clients.js'
import { sleep, waitFor } from '../helpers/wait.js'

describe('URL provider failures', () => {
  it('a throwing provider: URL_PROVIDER_FAILED, retried with backoff, recovers', async () => {
    const broker = await useBroker({ logger: 'silent' })
    let failing = true
    const calls: number[] = []
    const live = useClient({
      url: () => {
        calls.push(Date.now())
        if (failing) throw new Error('credentials expired (token=abc.def.secret)')
        return broker.url
      },
      reconnect: { initialDelay: 100, maxDelay: 400 },
    })
    const store = live.topic<string>('provider/recovered')
    const off = store.listen(() => {})
    const failed = await waitFor(live.status, (s) => s.error?.code === 'URL_PROVIDER_FAILED')
    expect(failed.status).toBe('connecting')
    // the provider's message is kept, its secret is not
    expect(failed.error?.message).toContain('credentials expired')
    expect(failed.error?.message).not.toContain('abc.def.secret')
    await sleep(1500)
    // backoff, not a hot loop: caps 100, 200, 400, 400… ms give a handful of calls in 1.5 s
    expect(calls.length).toBeGreaterThanOrEqual(3)
    expect(calls.length).toBeLessThan(20)
    expect(live.status.get().attempt).toBe(calls.length)
    failing = false
    await waitFor(live.status, (s) => s.status === 'connected', 3000)
    expect(live.status.get().error).toBeUndefined()
    await waitFor(store, (v) => v.status === 'subscribed')
    await live.publish('provider/recovered', 'yes', { qos: 1 })
    expect((await waitFor(store, (v) => v.data !== undefined)).data).toBe('yes')
    off()
  }, 15_000)

  it('a hanging provider: times out as URL_PROVIDER_FAILED, recovers when it answers again', async () => {
    const broker = await useBroker({ logger: 'silent' })
    let hanging = true
    let calls = 0
    const live = useClient({
      url: () => {
        calls++
        return hanging ? new Promise<string>(() => {}) : Promise.resolve(broker.url)
      },
      reconnect: { initialDelay: 100, maxDelay: 200, connectTimeout: 300 },
    })
    live.connect()
    const failed = await waitFor(live.status, (s) => s.error?.code === 'URL_PROVIDER_FAILED')
    expect(failed.error?.message).toMatch(/did not answer within 300 ms/)
    await waitFor(live.status, (s) => s.attempt >= 3, 5000)
    hanging = false
    await waitFor(live.status, (s) => s.status === 'connected', 3000)
    expect(calls).toBeGreaterThanOrEqual(4)
  }, 15_000)

  it('a provider failing after a drop: status carries the error while reconnecting, then clears', async () => {
    const broker = await useBroker({ logger: 'silent' })
    let failing = false
    const live = useClient({
      url: () => {
        if (failing) throw new Error('token endpoint unavailable')
        return broker.url
      },
    })
    live.connect()
    await waitFor(live.status, (s) => s.status === 'connected')
    failing = true
    for (const client of aedesClients(broker)) client.close()
    const reconnecting = await waitFor(live.status, (s) => s.error?.code === 'URL_PROVIDER_FAILED')
    expect(reconnecting.status).toBe('reconnecting')
    failing = false
    await waitFor(live.status, (s) => s.status === 'connected' && s.error === undefined, 3000)
  }, 15_000)
})
