// Fault: the socket goes silent without a FIN (dead NAT entry, pulled cable). Only keep-alive can
// tell; MQTT.js pings after `keepalive` of silence and gives up 1.5× keepalive after the last packet.
import { describe, expect, it } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { useClient } from '../helpers/clients.js'
import { startFreezeProxy } from '../helpers/freeze-proxy.js'
import { freePort } from '../helpers/free-port.js'
import { waitFor } from '../helpers/wait.js'

describe('silently dead socket', () => {
  it('is noticed by keep-alive within 1.5× keepalive, then the client reconnects and resubscribes', async () => {
    // the proxy is on another port: the broker must be told that this Host is its own
    const port = await freePort()
    const proxy = await startFreezeProxy(port)
    await useBroker({ logger: 'silent', port, allowedHosts: [`127.0.0.1:${proxy.port}`] })
    const keepalive = 1
    const live = useClient({ url: `ws://127.0.0.1:${proxy.port}/mqtt`, keepalive })
    const store = live.topic<{ n: number }>('dead/socket')
    const off = store.listen(() => {})
    await waitFor(store, (v) => v.status === 'subscribed')

    proxy.freeze()
    const frozenAt = Date.now()
    const lost = await waitFor(live.status, (s) => s.status !== 'connected', 5000)
    const noticedAfter = Date.now() - frozenAt
    expect(lost.error?.code).toBe('CONNECTION_LOST')
    // 1.5× keepalive after the last packet, plus one tick of MQTT.js's keepalive/2 timer and the event loop
    expect(noticedAfter).toBeLessThanOrEqual(1.5 * keepalive * 1000 + 500)

    proxy.thaw()
    await waitFor(live.status, (s) => s.status === 'connected', 5000)
    await waitFor(store, (v) => v.status === 'subscribed')
    expect(proxy.connections).toBe(2)
    await live.publish('dead/socket', { n: 1 }, { qos: 1 })
    expect((await waitFor(store, (v) => v.data !== undefined)).data).toEqual({ n: 1 })
    off()
  }, 15_000)
})
