// Fault: two clients with the same fixed client id (two browser tabs). The broker drops the older
// connection on each CONNECT (AWS IoT's takeover, aedes does the same); both reconnecting would
// flap forever, so livetopic reports CLIENT_ID_CONFLICT and stops.
import { describe, expect, it } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { useClient } from '../helpers/clients.js'
import { eventually, sleep, waitFor } from '../helpers/wait.js'

describe('client id conflict', () => {
  it('reports CLIENT_ID_CONFLICT (status failed) instead of reconnecting forever', async () => {
    const broker = await useBroker({ logger: 'silent' })
    let connects = 0
    broker.aedes.on('client', () => connects++)
    const first = useClient({ url: broker.url, clientId: 'same-id' })
    const second = useClient({ url: broker.url, clientId: 'same-id' })
    first.connect()
    await waitFor(first.status, (s) => s.status === 'connected')
    second.connect()

    const failed = await Promise.race([
      waitFor(first.status, (s) => s.status === 'failed', 10_000),
      waitFor(second.status, (s) => s.status === 'failed', 10_000),
    ])
    expect(failed.error?.code).toBe('CLIENT_ID_CONFLICT')
    expect(failed.error?.message).toContain('same-id')
    // the flapping stops: no new CONNECT once one side gave up
    await sleep(1000)
    const settled = connects
    await sleep(1000)
    expect(connects).toBe(settled)
    expect(connects).toBeLessThan(20)
    // and the other one is left connected
    await eventually(() => [first, second].some((c) => c.status.get().status === 'connected'))
  }, 20_000)

  it('a failed client can be told to try again with reconnect()', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const first = useClient({ url: broker.url, clientId: 'again-id' })
    const second = useClient({ url: broker.url, clientId: 'again-id' })
    first.connect()
    await waitFor(first.status, (s) => s.status === 'connected')
    second.connect()
    await eventually(() => [first, second].some((c) => c.status.get().status === 'failed'), 10_000)
    const [loser, winner] = first.status.get().status === 'failed' ? [first, second] : [second, first]
    // the other tab closes: the id is free again
    await winner.close()
    loser.reconnect()
    await waitFor(loser.status, (s) => s.status === 'connected', 5000)
    expect(loser.status.get().error).toBeUndefined()
  }, 20_000)
})
