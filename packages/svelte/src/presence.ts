import type { ReadableAtom } from '@livetopic/core'
import { presence as presenceStore, type PresenceOptions, type PresenceState } from '@livetopic/core/aws'
import { getLiveTopicClient } from './context.js'

/** Who is connected to AWS IoT Core (lifecycle events), from the client in context: `$members.members`. */
export function presence(options?: PresenceOptions): ReadableAtom<PresenceState> {
  return presenceStore(getLiveTopicClient(), options)
}
