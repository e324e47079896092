import { presence, type PresenceOptions, type PresenceState } from '@livetopic/core/aws'
import { useLiveTopicClient } from './context.js'
import { useStoreValue } from './use-store.js'

/** Who is connected to AWS IoT Core, from lifecycle events: `{ status, members, error }`. */
export function usePresence(options?: PresenceOptions): PresenceState {
  // presence() keeps one store per client and roster topic, so this is stable across renders
  return useStoreValue(presence(useLiveTopicClient(), options))
}
