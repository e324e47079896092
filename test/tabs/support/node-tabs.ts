import { createClient, type ClientOptions, type LiveTopicClient, type Transport, type TransportFactory } from '@livetopic/core'
import { afterEach } from 'vitest'
import { defaultTransport } from '../../../packages/core/src/default-transport.js'
import { TabTransport } from '../../../packages/core/src/tabs/tab-transport.js'
import { FakeLocks } from './fake-locks.js'

/** One simulated browser tab in Node: its own locks view, real BroadcastChannels, a real MQTT.js transport. */
export interface NodeTab {
  readonly id: string
  readonly client: LiveTopicClient
  /** Dies without a goodbye: locks freed, channels and socket gone, nothing runs any more. */
  crash(): void
}

const clients = new Set<LiveTopicClient>()
let count = 0

/** Simulated tabs sharing one lock registry (one browser); each opens tabs with `open(options)`. */
export function useBrowser(channel = `test-${Date.now()}-${Math.random()}`): { open(options: ClientOptions): NodeTab } {
  const locks = new FakeLocks()
  return {
    open(options) {
      const id = `tab${++count}`
      const channels: BroadcastChannel[] = []
      const inners: Transport[] = []
      let dead = false
      // the real transport, silenced once the tab is dead (its socket is aborted)
      const inner: TransportFactory = (o, h) => {
        const t = defaultTransport()(o, {
          onConnect: (...a) => !dead && h.onConnect(...a),
          onMessage: (...a) => !dead && h.onMessage(...a),
          onClose: (...a) => !dead && h.onClose(...a),
        })
        inners.push(t)
        return { ...t, open: (...a) => !dead && t.open(...a) }
      }
      const platform = {
        locks: locks.manager(id),
        channel: (name: string) => {
          const c = new BroadcastChannel(name)
          channels.push(c)
          return c
        },
      }
      const factory: TransportFactory = (o, h) => new TabTransport(`livetopic:${channel}`, inner, o, h, platform)
      const client = createClient({ unsubscribeDelay: 30, ...options, reconnect: { initialDelay: 50, maxDelay: 300, ...options.reconnect } }, factory)
      clients.add(client)
      return {
        id,
        client,
        crash() {
          dead = true
          for (const c of channels) {
            c.postMessage = () => {}
            c.close()
          }
          for (const t of inners) t.abort()
          locks.crash(id)
          // stop its timers too, as a dead tab runs nothing (everything it would say is muted)
          void client.close().catch(() => {})
          clients.delete(client)
        },
      }
    },
  }
}

afterEach(async () => {
  await Promise.all([...clients].map((c) => c.close()))
  clients.clear()
})
