import { topicReady, type TopicStore } from '@livetopic/core'
import { useState, useSyncExternalStore } from 'react'

const subscribeNothing = (): (() => void) => () => {}
const onClient = (): boolean => false
const onServer = (): boolean => true

/**
 * Suspends (throws the store's ready promise, cached per store) until the topic has data, from a
 * seed or a message, or an error. Never on the server, nor for a store a component hydrated from
 * server HTML: the server opens no socket, so what it rendered (the seed, or no data) is what the
 * browser must render while hydrating, and a fallback after that would only flash.
 */
export function useSuspendUntilReady<T, F extends string>(store: TopicStore<T, F>, enabled: boolean): void {
  // true on the server and while hydrating (React renders with the server snapshot), false after
  const fromServer = useSyncExternalStore(subscribeNothing, onClient, onServer)
  const [serverStore] = useState(() => (fromServer ? store : undefined))
  if (!enabled || fromServer || store === serverStore) return
  const waiting = topicReady(store)
  // Suspense's protocol before React 19's `use` (React 18 has no other): throw the thenable
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  if (waiting) throw waiting
}
