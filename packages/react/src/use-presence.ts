import { idlePresence, presenceRoom, type PresenceRoom, type PresenceRoomOptions, type PresenceView } from '@livetopic/core/presence'
import { useLiveTopicClient } from './context.js'
import { useStoreValue } from './use-store.js'

/** Options of {@link usePresence}: the room's options, read on the first call for a client and strategy. */
export interface UsePresenceOptions<S> extends PresenceRoomOptions<S> {
  /** False: join nothing, subscribe nothing (members empty, status idle); true again joins once. Default true. */
  enabled?: boolean
}

/** What {@link usePresence} gives: the room's `{ status, members, me, error }` and `update`. */
export interface UsePresenceResult<S> extends PresenceView<S> {
  /** Sets this connection's state (or derives it from the previous one); throttled; stable across renders. */
  update: PresenceRoom<S>['update']
}

/**
 * Who is here, each member with their own state, and `update` to change yours:
 * `usePresence({ strategy: retainedPresence(), member: userOf })`. Joins while mounted (and
 * enabled), leaves on unmount. Pass one strategy object (module scope), not a new one per render.
 */
export function usePresence<S = unknown>(options: UsePresenceOptions<S>): UsePresenceResult<S> {
  // presenceRoom keeps one room per client and strategy, so this is stable across renders
  const room = presenceRoom<S>(useLiveTopicClient(), options)
  const view = useStoreValue(options.enabled === false ? idlePresence<S>() : room.store)
  return { ...view, update: room.update }
}
