// The page every Chromium tab of the tests and the benchmark loads: one livetopic client, shared
// across tabs unless `?share=0`, driven from playwright through `window.tab`.
import { createClient, type TopicStore } from '@livetopic/core'
import { awsIotProfile } from '@livetopic/core/aws'
import { shareAcrossTabs } from '@livetopic/core/tabs'

const params = new URLSearchParams(location.search)
const share = params.get('share') !== '0'
const client = createClient(
  {
    url: params.get('broker')!,
    reconnect: { stableAfter: Number(params.get('stableAfter') ?? 10_000) },
    // `?iot=1`: AWS IoT Core's profile (8 filters per SUBSCRIBE, as the stand-in enforces)
    ...(params.get('iot') === '1' ? { profile: awsIotProfile } : {}),
  },
  share ? shareAcrossTabs({ channel: params.get('channel') ?? 'tabs-test' }) : undefined,
)

interface Seen {
  topic: string
  payload: unknown
  retained: boolean
  at: number
}
const stores = new Map<string, { store: TopicStore<unknown>; off: () => void }>()

const api = {
  /** Connection status and role. */
  status: () => ({ status: client.status.get().status, role: client.status.get().role ?? null, clientId: client.clientId }),
  connect: () => client.connect(),
  /** Mounts a topic store (as a component would) that keeps every message. */
  listen(filter: string): void {
    if (stores.has(filter)) return
    const store = client.topic(filter, { history: 10_000 })
    stores.set(filter, { store, off: store.listen(() => {}) })
  },
  unlisten(filter: string): void {
    stores.get(filter)?.off()
    stores.delete(filter)
  },
  subscribed: (filter: string): boolean => stores.get(filter)?.store.get().status === 'subscribed',
  /** What the store holds (arrival time on the page's clock, epoch ms). */
  seen: (filter: string): Seen[] =>
    (stores.get(filter)?.store.get().history ?? []).map((m) => ({ topic: m.topic, payload: m.payload, retained: m.retained, at: m.receivedAt })),
  /** Publishes; resolves to 'ok' or the error code. */
  publish: (topic: string, payload: unknown, qos: 0 | 1): Promise<string> =>
    client.publish(topic, payload, { qos }).then(
      () => 'ok',
      (e: { code?: string }) => e.code ?? 'error',
    ),
}

;(globalThis as unknown as { tab: typeof api }).tab = api
export type TabApi = typeof api
