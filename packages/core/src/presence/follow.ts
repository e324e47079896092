import type { ReadableAtom } from 'nanostores'
import type { Message, TopicState } from '../types.js'

/**
 * Listens to a topic store and calls `onMessage` once per new message (a store keeps its last
 * message across remounts: only messages after this call count), and `onState` on every change.
 * Returns the unsubscribe function.
 */
export function followMessages<T>(
  store: ReadableAtom<TopicState<T>>,
  onMessage: (message: Message<T>) => void,
  onState: (state: TopicState<T>) => void,
): () => void {
  let last = store.value?.message
  return store.listen((state) => {
    if (state.message && state.message !== last) {
      last = state.message
      onMessage(state.message)
    }
    onState(state)
  })
}

/** The status of several topic stores as one: error if any failed, subscribed once all are. */
export function combinedStatus(states: readonly (TopicState<unknown> | undefined)[]): TopicState['status'] {
  const known = states.filter((s): s is TopicState<unknown> => s !== undefined)
  if (known.some((s) => s.status === 'error')) return 'error'
  if (known.every((s) => s.status === 'subscribed')) return 'subscribed'
  return known.some((s) => s.status !== 'idle') ? 'subscribing' : 'idle'
}

/**
 * Calls `onFreshSession` when the client connects again without its session (a clean reconnect:
 * the SUBSCRIBE goes again, and whatever changed meanwhile was missed). Returns the unsubscribe function.
 */
export function onReconnect(status: ReadableAtom<{ status: string; sessionPresent?: boolean }>, onConnected: (sessionPresent: boolean) => void): () => void {
  let connected = status.value?.status === 'connected'
  return status.listen((state) => {
    if (state.status === 'connected' && !connected) onConnected(state.sessionPresent === true)
    connected = state.status === 'connected'
  })
}
