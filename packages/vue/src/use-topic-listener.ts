import type { ListenerOptions, Message, RegisteredFilter, RegisteredTopics } from '@livetopic/core'
import { hasInjectionContext, inject, onScopeDispose, ssrContextKey, toValue, watch, type MaybeRefOrGetter } from 'vue'
import { useLiveTopicClient } from './plugin.js'

/**
 * Calls `onMessage` for every message on the filter, keeping no state. The filter may be a ref
 * or getter (resubscribes when it changes). Nothing happens during server rendering.
 */
export function useTopicListener<F extends RegisteredFilter>(
  filter: MaybeRefOrGetter<F>,
  onMessage: (message: Message<RegisteredTopics[F], F>) => void,
  options?: ListenerOptions<RegisteredTopics[F]>,
): void
export function useTopicListener<T = unknown, F extends string = string>(
  filter: MaybeRefOrGetter<F>,
  onMessage: (message: Message<T, F>) => void,
  options?: ListenerOptions<T>,
): void
export function useTopicListener<T, F extends string>(
  filter: MaybeRefOrGetter<F>,
  onMessage: (message: Message<T, F>) => void,
  options?: ListenerOptions<T>,
): void {
  const client = useLiveTopicClient()
  if (hasInjectionContext() && inject(ssrContextKey, null)) return
  let off: (() => void) | undefined
  watch(
    () => toValue(filter),
    (current) => {
      off?.()
      off = client.onMessage<T, F>(current, onMessage, options)
    },
    { immediate: true, flush: 'sync' },
  )
  onScopeDispose(() => {
    off?.()
    off = undefined
  })
}
