import type { ReadableStore } from '@livetopic/core'
import { useCallback, useRef, useSyncExternalStore } from 'react'

/**
 * Renders a nanostores store through `useSyncExternalStore`. The value is read once per render
 * and kept in a ref (as @nanostores/react does) because reading an unmounted topic store mounts
 * it for an instant and gives a fresh object each time, which React would take for a tearing
 * store. The server snapshot is the same read: it opens no socket.
 */
export function useStoreValue<T>(store: ReadableStore<T>): T {
  const snapshot = useRef<T>(undefined as T)
  snapshot.current = store.get()
  const subscribe = useCallback(
    (onChange: () => void) => {
      const emit = (value: T): void => {
        if (snapshot.current === value) return
        snapshot.current = value
        onChange()
      }
      // catch up with a change between render and subscribe (e.g. status 'subscribing')
      emit(store.value as T)
      return store.listen(emit)
    },
    [store],
  )
  const get = (): T => snapshot.current
  return useSyncExternalStore(subscribe, get, get)
}
