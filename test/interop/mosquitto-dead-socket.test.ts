// Fault: a silently dead path (no FIN) between the client and Mosquitto, under 3.1.1 and 5.
import { createClient } from '@livetopic/core'
import { describe, expect, it } from 'vitest'
import { startFreezeProxy } from '../helpers/freeze-proxy.js'
import { useMosquittoSuite } from '../helpers/mosquitto-suite.js'
import { waitFor } from '../helpers/wait.js'

describe.each([4, 5] as const)('dead socket to Mosquitto, MQTT protocol level %i', (protocolVersion) => {
  const suite = useMosquittoSuite()
  const clients = suite.clients

  it('keep-alive notices within 1.5× keepalive (+ timer slack), then reconnects and resubscribes', async () => {
    const proxy = await startFreezeProxy(suite.mosquitto.wsPort)
    const keepalive = 1
    const live = createClient({ url: `ws://127.0.0.1:${proxy.port}/mqtt`, protocolVersion, keepalive, reconnect: { initialDelay: 50, maxDelay: 200 } })
    clients.push(live)
    const store = live.topic<{ n: number }>('dead/mosquitto')
    const off = store.listen(() => {})
    await waitFor(store, (v) => v.status === 'subscribed')
    proxy.freeze()
    const frozenAt = Date.now()
    const lost = await waitFor(live.status, (s) => s.status !== 'connected', 5000)
    expect(lost.error?.code).toBe('CONNECTION_LOST')
    expect(Date.now() - frozenAt).toBeLessThanOrEqual(1.5 * keepalive * 1000 + 500)
    proxy.thaw()
    await waitFor(store, (v) => v.status === 'subscribed', 5000)
    await live.publish('dead/mosquitto', { n: 1 }, { qos: 1 })
    expect((await waitFor(store, (v) => v.data !== undefined)).data).toEqual({ n: 1 })
    off()
  }, 15_000)
})
