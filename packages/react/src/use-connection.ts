import type { ConnectionState } from '@livetopic/core'
import { useLiveTopicClient } from './context.js'
import { useStoreValue } from './use-store.js'

/** The connection state: `{ status, clientId, attempt, error }`. */
export function useConnection(): ConnectionState {
  return useStoreValue(useLiveTopicClient().status)
}
