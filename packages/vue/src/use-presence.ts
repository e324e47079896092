import { presence, type PresenceOptions, type PresenceState } from '@livetopic/core/aws'
import type { ShallowRef } from 'vue'
import { useLiveTopicClient } from './plugin.js'
import { useStoreRef } from './use-store.js'

/** Who is connected to AWS IoT Core, from lifecycle events, as a read-only ShallowRef. */
export function usePresence(options?: PresenceOptions): Readonly<ShallowRef<PresenceState>> {
  const client = useLiveTopicClient()
  return useStoreRef(() => presence(client, options))
}
