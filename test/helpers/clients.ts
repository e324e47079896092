import { createClient, type ClientOptions, type LiveTopicClient, type TransportFactory } from '@livetopic/core'
import { afterEach } from 'vitest'

const open = new Set<LiveTopicClient>()

/** `createClient` with fast reconnects for tests (on `createTransport` when given); closed after each test. */
export function useClient(options: ClientOptions, createTransport?: TransportFactory): LiveTopicClient {
  const client = createClient({ ...options, reconnect: { initialDelay: 50, maxDelay: 300, ...options.reconnect } }, createTransport)
  open.add(client)
  return client
}

afterEach(async () => {
  await Promise.all([...open].map((c) => c.close()))
  open.clear()
})

/** Counts how often the client's status leaves `connected` (drops and reconnects), from now on. */
export function countDrops(client: LiveTopicClient): () => number {
  let drops = 0
  let wasConnected = client.status.get().status === 'connected'
  client.status.listen((state) => {
    if (wasConnected && state.status !== 'connected') drops++
    wasConnected = state.status === 'connected'
  })
  return () => drops
}
