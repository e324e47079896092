import type { ReadableStore } from '@livetopic/core'
import { hasInjectionContext, inject, onScopeDispose, shallowRef, ssrContextKey, watch, type ShallowRef } from 'vue'

/**
 * A read-only ShallowRef following the store `getStore()` returns; when that changes (a ref or
 * getter filter did), it follows the new store. Stops with the component or effect scope. During
 * server rendering it reads the value once and subscribes nothing, so no socket opens.
 */
export function useStoreRef<T>(getStore: () => ReadableStore<T>): Readonly<ShallowRef<T>> {
  if (hasInjectionContext() && inject(ssrContextKey, null)) return shallowRef(getStore().get())
  const state = shallowRef() as ShallowRef<T>
  let off: (() => void) | undefined
  // 'sync': a new filter shows the new topic's state at once, never the old topic's message
  watch(
    getStore,
    (store) => {
      off?.()
      off = store.subscribe((value) => {
        state.value = value
      })
    },
    { immediate: true, flush: 'sync' },
  )
  onScopeDispose(() => {
    off?.()
    off = undefined
  })
  return state
}
