import type { ListenerOptions, Message, RegisteredFilter, RegisteredTopics } from '@livetopic/core'
import { hasInjectionContext, inject, onScopeDispose, ssrContextKey, toValue, watch, type MaybeRefOrGetter } from 'vue'
import { useLiveTopicClient } from './plugin.js'

/** Options of `useTopicListener`: the listener's options and `enabled` (a boolean, ref or getter). */
export interface UseTopicListenerOptions<T = unknown> extends ListenerOptions<T> {
  /** `false`: subscribe to nothing; a ref or getter turns it on and off. */
  enabled?: MaybeRefOrGetter<boolean>
}

/**
 * Calls `onMessage` for every message on the filter, keeping no state. The filter may be a ref
 * or getter (resubscribes when it changes); a `null` filter or `enabled: false` subscribes
 * nothing. Nothing happens during server rendering.
 */
export function useTopicListener<F extends RegisteredFilter>(
  filter: MaybeRefOrGetter<F | null | undefined>,
  onMessage: (message: Message<RegisteredTopics[F], F>) => void,
  options?: UseTopicListenerOptions<RegisteredTopics[F]>,
): void
export function useTopicListener<T = unknown, F extends string = string>(
  filter: MaybeRefOrGetter<F | null | undefined>,
  onMessage: (message: Message<T, F>) => void,
  options?: UseTopicListenerOptions<T>,
): void
export function useTopicListener<T, F extends string>(
  filter: MaybeRefOrGetter<F | null | undefined>,
  onMessage: (message: Message<T, F>) => void,
  options: UseTopicListenerOptions<T> = {},
): void {
  const client = useLiveTopicClient()
  if (hasInjectionContext() && inject(ssrContextKey, null)) return
  const { enabled, ...listenerOptions } = options
  let off: (() => void) | undefined
  watch(
    () => (toValue(enabled) === false ? null : toValue(filter)),
    (current) => {
      off?.()
      off = current == null ? undefined : client.onMessage<T, F>(current, onMessage, listenerOptions)
    },
    { immediate: true, flush: 'sync' },
  )
  onScopeDispose(() => {
    off?.()
    off = undefined
  })
}
