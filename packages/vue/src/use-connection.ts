import type { ConnectionState } from '@livetopic/core'
import type { ShallowRef } from 'vue'
import { useLiveTopicClient } from './plugin.js'
import { useStoreRef } from './use-store.js'

/** The connection state as a read-only ShallowRef: `{ status, clientId, attempt, error }`. */
export function useConnection(): Readonly<ShallowRef<ConnectionState>> {
  const client = useLiveTopicClient()
  return useStoreRef(() => client.status)
}
