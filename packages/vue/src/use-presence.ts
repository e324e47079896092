import { idlePresence, presenceRoom, type PresenceMember, type PresenceRoom, type PresenceRoomOptions, type PresenceView } from '@livetopic/core/presence'
import { computed, toValue, type ComputedRef, type MaybeRefOrGetter, type ShallowRef } from 'vue'
import { useLiveTopicClient } from './plugin.js'
import { useStoreRef } from './use-store.js'

/** Options of {@link usePresence}: the room's options, read on the first call for a client and strategy. */
export interface UsePresenceOptions<S> extends PresenceRoomOptions<S> {
  /** False (a ref or getter may change it): join nothing, subscribe nothing; true again joins once. Default true. */
  enabled?: MaybeRefOrGetter<boolean>
}

/** What {@link usePresence} gives: refs to destructure in `<script setup>`, and `update`. */
export interface UsePresenceResult<S> {
  /** The whole `{ status, members, me, error }`. */
  state: Readonly<ShallowRef<PresenceView<S>>>
  /** Members, oldest first. */
  members: ComputedRef<readonly PresenceMember<S>[]>
  /** This client's member, with its own latest state at once. */
  me: ComputedRef<PresenceMember<S> | undefined>
  /** `subscribed` once every topic the strategy reads is. */
  status: ComputedRef<PresenceView<S>['status']>
  /** Sets this connection's state (or derives it from the previous one); throttled. */
  update: PresenceRoom<S>['update']
}

/**
 * Who is here, each member with their own state, and `update` to change yours:
 * `const { members, me, update } = usePresence({ strategy: retainedPresence(), member: userOf })`.
 * Joins while the component lives (and `enabled`), leaves when it unmounts.
 */
export function usePresence<S = unknown>(options: UsePresenceOptions<S>): UsePresenceResult<S> {
  const room = presenceRoom<S>(useLiveTopicClient(), options)
  const state = useStoreRef(() => (toValue(options.enabled ?? true) ? room.store : idlePresence<S>()))
  return {
    state,
    members: computed(() => state.value.members),
    me: computed(() => state.value.me),
    status: computed(() => state.value.status),
    update: room.update,
  }
}
