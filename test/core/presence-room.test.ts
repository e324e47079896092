// presenceRoom on the stand-in, in process over a real WebSocket: throttled updates, bad states,
// listener isolation, and what retainedPresence can and cannot do on an IoT-faithful broker.
import { createClient, type LiveTopicClient } from '@livetopic/core'
import { presenceRoom, retainedPresence, type PresenceView } from '@livetopic/core/presence'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { killableSockets } from '../helpers/killable-socket.js'
import { sleep, waitFor } from '../helpers/wait.js'

type Cursor = { x: number }
const clients: LiveTopicClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  vi.restoreAllMocks()
})

const shown = (view: PresenceView<Cursor>): string =>
  view.members
    .map((m) => `${m.id}:${m.state?.x ?? '-'}`)
    .sort()
    .join()

describe('presenceRoom with retainedPresence on the stand-in', () => {
  const strategy = retainedPresence({ topic: 'room/presence' })

  async function join(url: string, clientId: string, throttle = 100) {
    const sockets = killableSockets()
    const client = createClient({ url, clientId, will: strategy.will(clientId), WebSocket: sockets.WebSocket, reconnect: { initialDelay: 50, maxDelay: 50 } })
    clients.push(client)
    const room = presenceRoom<Cursor>(client, { strategy, initialState: { x: 0 }, throttle })
    const off = room.store.listen(() => {})
    await waitFor(room.store, (v) => v.status === 'subscribed' && v.me !== undefined)
    return { client, room, off, kill: sockets.killAll }
  }

  it('sends a burst of updates at most once per throttle window, ending on the latest', async () => {
    const broker = await useBroker()
    const sent: unknown[] = []
    broker.aedes.on('publish', (packet, client) => {
      if (client && packet.topic === 'room/presence/mover' && packet.payload.length > 0) sent.push(JSON.parse(packet.payload.toString()))
    })
    const watcher = await join(broker.url, 'watcher')
    const mover = await join(broker.url, 'mover', 200)
    await waitFor(watcher.room.store, (v) => shown(v) === 'mover:0,watcher:0')
    const before = sent.length
    for (let x = 1; x <= 30; x++) {
      mover.room.update({ x })
      // `me` shows each update at once
      expect(mover.room.store.get().me?.state).toEqual({ x })
      await sleep(10)
    }
    await waitFor(watcher.room.store, (v) => shown(v) === 'mover:30,watcher:0')
    // 30 updates over ≥ 300 ms with a 200 ms window: a handful of announcements, the last one x = 30
    const burst = sent.slice(before)
    expect(burst.length).toBeGreaterThanOrEqual(2)
    expect(burst.length).toBeLessThanOrEqual(4)
    expect(burst.at(-1)).toMatchObject({ v: 1, state: { x: 30 } })
    // the updater form derives from the previous state
    mover.room.update((previous) => ({ x: previous.x + 1 }))
    await waitFor(watcher.room.store, (v) => shown(v) === 'mover:31,watcher:0')
  })

  it('refuses a state that is too large or not JSON, keeping the previous one', async () => {
    const broker = await useBroker()
    const a = await join(broker.url, 'a')
    a.room.update({ x: 1 })
    expect(() => a.room.update({ x: 2, blob: 'x'.repeat(2000) } as Cursor)).toThrow(expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }))
    expect(() => a.room.update({ x: 10n } as unknown as Cursor)).toThrow(expect.objectContaining({ code: 'ENCODE_FAILED' }))
    expect(a.room.store.get().me?.state).toEqual({ x: 1 })
    const other = createClient({ url: broker.url })
    clients.push(other)
    expect(() => presenceRoom(other, { strategy: retainedPresence(), maxStateBytes: 200 * 1024 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
    expect(() => retainedPresence({ topic: 'presence/+' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
  })

  it('a listener that throws is reported; the others and the socket carry on', async () => {
    const broker = await useBroker()
    const report = vi.spyOn(console, 'error').mockImplementation(() => {})
    const watcher = await join(broker.url, 'watcher')
    const offBad = watcher.room.store.listen(() => {
      throw new Error('listener exploded')
    })
    const mover = await join(broker.url, 'mover')
    mover.room.update({ x: 5 })
    await waitFor(watcher.room.store, (v) => shown(v) === 'mover:5,watcher:0')
    expect(report.mock.calls.some((call) => String(call[0]).includes('listener exploded'))).toBe(true)
    expect(watcher.client.status.get().status).toBe('connected')
    offBad()
  })

  // kills the socket through the WebSocket class it gives the built-in transport: MQTT.js (the
  // LIVETOPIC_TRANSPORT=mqttjs pass) opens its own, which the test cannot kill
  it.skipIf(process.env.LIVETOPIC_TRANSPORT === 'mqttjs')(
    'on an IoT-faithful broker live announcements and the will work, but earlier members are not sent to a wildcard',
    async () => {
      const broker = await useBroker()
      const first = await join(broker.url, 'first')
      // IoT (and the stand-in) send retained messages only to a subscription equal to their topic
      const second = await join(broker.url, 'second')
      await waitFor(first.room.store, (v) => shown(v) === 'first:0,second:0')
      await sleep(300)
      expect(shown(second.room.store.get())).toBe('second:0')
      // first's next announcement is live: it reaches second
      first.room.update({ x: 7 })
      await waitFor(second.room.store, (v) => shown(v) === 'first:7,second:0')
      // its will (an empty retained message) is live too
      first.kill()
      await waitFor(second.room.store, (v) => shown(v) === 'second:0')
    },
  )
})
