import { atom, onStart, onStop, type ReadableAtom } from 'nanostores'
import { LiveTopicError } from '../errors.js'
import { reportListenerError, setSafely } from '../isolate.js'
import type { LiveTopicClient } from '../types.js'
import { onReconnect } from './follow.js'
import { groupMembers } from './group.js'
import { checkMaxStateBytes, checkMemberState } from './member-state.js'
import type { PresenceStrategy, PresenceView } from './types.js'

/** Options of {@link presenceRoom}. The first call for a client and strategy sets them. */
export interface PresenceRoomOptions<S> {
  /** How presence reaches the broker: `retainedPresence()` or `iotPresence()`. Reuse one object. */
  strategy: PresenceStrategy
  /** Groups connections into members, e.g. `(clientId) => userId`: one entry per user across devices. */
  member?: (clientId: string) => string
  /** This connection's state until `update` (JSON; default `null`). */
  initialState?: S
  /** Cap on a state's JSON size in bytes (default 1024; at most IoT's payload limit less an envelope). */
  maxStateBytes?: number
  /** Least time between two announcements in ms (default 100); the latest state always goes out. */
  throttle?: number
}

/** A presence room: its store, and the way to change this connection's state. */
export interface PresenceRoom<S> {
  /** `{ status, members, me, error }`; joins (announces) while it has listeners, leaves when it loses them. */
  readonly store: ReadableAtom<PresenceView<S>>
  /**
   * Sets this connection's state (or derives it from the previous one): `me` shows it at once,
   * everyone else within `throttle` ms. Throws PAYLOAD_TOO_LARGE or ENCODE_FAILED (the previous
   * state is kept) when it is not JSON within `maxStateBytes`.
   */
  update(this: void, state: S | ((previous: S) => S)): void
}

const rooms = new WeakMap<LiveTopicClient, WeakMap<PresenceStrategy, PresenceRoom<unknown>>>()

/**
 * Presence with state, on any broker: who is here (grouped into members), each with the state
 * they announced, and `update` to change your own. The same client and strategy give the same
 * room. Adapters wrap it as `usePresence`.
 */
export function presenceRoom<S = unknown>(client: LiveTopicClient, options: PresenceRoomOptions<S>): PresenceRoom<S> {
  const strategy = options?.strategy
  if (!strategy || typeof strategy.connections !== 'function')
    throw new LiveTopicError('INVALID_OPTIONS', 'presence needs a strategy: retainedPresence() or iotPresence()')
  let byStrategy = rooms.get(client)
  if (!byStrategy) rooms.set(client, (byStrategy = new WeakMap()))
  const cached = byStrategy.get(strategy)
  if (cached) return cached as PresenceRoom<S>
  const room = createRoom(client, strategy, options)
  byStrategy.set(strategy, room as PresenceRoom<unknown>)
  return room
}

function createRoom<S>(client: LiveTopicClient, strategy: PresenceStrategy, options: PresenceRoomOptions<S>): PresenceRoom<S> {
  const maxBytes = checkMaxStateBytes(options.maxStateBytes)
  const throttle = options.throttle ?? 100
  if (!Number.isFinite(throttle) || throttle < 0)
    throw new LiveTopicError('INVALID_OPTIONS', `throttle must be a number of milliseconds ≥ 0, got ${String(throttle)}`)
  let mine = checkMemberState(options.initialState ?? null, maxBytes) as S
  let mineAt = Date.now()
  const feed = strategy.connections(client)
  const store = atom<PresenceView<S>>({ status: 'idle', members: [], me: undefined })
  let started = false
  let announceError: LiveTopicError | undefined
  let lastSent = -Infinity
  let timer: ReturnType<typeof setTimeout> | undefined

  const emit = (): void => {
    const { status, connections, error } = feed.get()
    // not connected (a server render, a drop): listed only as far as the broker still shows it
    const connected = client.status.get().status === 'connected'
    const { members, me } = groupMembers<S>(connections, client.clientId, { state: mine, updatedAt: mineAt }, options.member, connected)
    const problem = error ?? announceError
    setSafely(store, problem ? { status, members, me, error: problem } : { status, members, me })
  }
  const send = (): void => {
    timer = undefined
    lastSent = Date.now()
    strategy.announce(client, mine).then(
      () => {
        if (announceError === undefined) return
        announceError = undefined
        if (started) emit()
      },
      (error: unknown) => {
        // closing the client rejects what is queued: nothing to tell
        if (error instanceof LiveTopicError && error.code === 'CLOSED') return
        announceError = error instanceof LiveTopicError ? error : new LiveTopicError('ENCODE_FAILED', 'presence announce failed', { cause: error })
        if (started) emit()
      },
    )
  }
  // leading edge at once, then at most one announcement per `throttle` ms, always the latest state
  const schedule = (): void => {
    if (!started || timer !== undefined) return
    const wait = lastSent + throttle - Date.now()
    if (wait <= 0) send()
    else timer = setTimeout(send, wait)
  }

  let stop: (() => void) | undefined
  onStart(store, () => {
    started = true
    const offFeed = feed.listen(emit)
    // every (re)connect: a will may have cleared the announcement, or the broker lost it
    const offReconnect = onReconnect(client.status, () => {
      lastSent = -Infinity
      schedule()
    })
    const offStatus = client.status.listen(emit)
    // otherwise the feed's SUBSCRIBE opens the connection, and onReconnect announces
    if (client.status.value?.status === 'connected') schedule()
    stop = () => {
      offFeed()
      offReconnect()
      offStatus()
    }
    emit()
  })
  onStop(store, () => {
    started = false
    stop?.()
    stop = undefined
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    lastSent = -Infinity
    strategy.leave(client).catch((error: unknown) => {
      if (!(error instanceof LiveTopicError && error.code === 'CLOSED')) reportListenerError(error)
    })
    setSafely(store, { status: 'idle', members: store.value.members, me: store.value.me })
  })

  return {
    store,
    update(next) {
      const value = typeof next === 'function' ? (next as (previous: S) => S)(mine) : next
      mine = checkMemberState(value, maxBytes) as S
      mineAt = Date.now()
      if (!started) return
      emit()
      schedule()
    },
  }
}

const IDLE = atom<PresenceView<never>>(Object.freeze({ status: 'idle', members: Object.freeze([]), me: undefined }))

/** The store a disabled `usePresence` shows: idle, nobody; nothing subscribes. */
export function idlePresence<S>(): ReadableAtom<PresenceView<S>> {
  return IDLE
}
