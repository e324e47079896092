import { createClient, type LiveTopicClient } from '@livetopic/core'
import { presenceRoom, retainedPresence, type PresenceRoom, type PresenceView } from '@livetopic/core/presence'
import type { RunningBroker } from '@livetopic/broker'
import { afterEach } from 'vitest'
import { waitFor } from '../helpers/wait.js'

/** The strategy the adapters' presence tests share (module scope: one object keys the room). */
export const adapterPresence = retainedPresence({ topic: 'adapter/presence' })

/** `id:status` of every member but the watcher, sorted. */
export const othersShown = (view: PresenceView<{ status: string }>): string =>
  view.members
    .filter((m) => !m.isMe)
    .map((m) => `${m.id}:${m.state?.status ?? '-'}`)
    .sort()
    .join()

const watchers: LiveTopicClient[] = []
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((c) => c.close()))
})

/** Another member, in Node, on the same broker: what everyone else sees of the component's member. */
export async function watchPresence(broker: RunningBroker): Promise<{ view: PresenceRoom<{ status: string }>['store'] }> {
  const client = createClient({ url: broker.url, clientId: 'watcher' })
  watchers.push(client)
  const room = presenceRoom<{ status: string }>(client, { strategy: adapterPresence, initialState: { status: 'watching' } })
  room.store.listen(() => {})
  await waitFor(room.store, (v) => v.status === 'subscribed')
  return { view: room.store }
}

/** Whether the broker saw any SUBSCRIBE to the presence filter. */
export const subscribedToPresence = (subscribes: string[][]): boolean => subscribes.some((filters) => filters.includes('adapter/presence/+'))
