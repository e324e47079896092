import type { ReadableAtom } from '@livetopic/core'
import { idlePresence, presenceRoom, type PresenceRoom, type PresenceRoomOptions, type PresenceView } from '@livetopic/core/presence'
import { getLiveTopicClient } from './context.js'

/** Options of {@link presence}: the room's options, read on the first call for a client and strategy. */
export interface PresenceStoreOptions<S> extends PresenceRoomOptions<S> {
  /** False: a store that stays idle and joins nothing. Default true. */
  enabled?: boolean
}

/** A readable store of `{ status, members, me, error }` with `update` to change this connection's state. */
export interface PresenceStore<S> {
  /** Svelte's store contract: calls `run` now and on every change; joins while subscribed. */
  subscribe(run: (value: PresenceView<S>) => void): () => void
  /** The value now. */
  get(): PresenceView<S>
  /** Sets this connection's state (or derives it from the previous one); throttled. */
  update: PresenceRoom<S>['update']
}

/**
 * Who is here, from the client in context, each member with their own state:
 * `const room = presence({ strategy: retainedPresence() })`, then `$room.members`, `$room.me`,
 * `room.update({ typing: true })`. Joins while subscribed, leaves when the last subscriber goes.
 */
export function presence<S = unknown>(options: PresenceStoreOptions<S>): PresenceStore<S> {
  const room = presenceRoom<S>(getLiveTopicClient(), options)
  const store: ReadableAtom<PresenceView<S>> = options.enabled === false ? idlePresence<S>() : room.store
  return { subscribe: (run) => store.subscribe(run), get: () => store.get(), update: room.update }
}
