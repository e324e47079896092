import {
  conditionalTopicView,
  type ConditionalTopicOptions,
  type IdleTopicState,
  type RegisteredFilter,
  type RegisteredTopics,
  type TopicState,
} from '@livetopic/core'
import { toValue, type MaybeRefOrGetter, type ShallowRef } from 'vue'
import { useLiveTopicClient } from './plugin.js'
import { useStoreRef } from './use-store.js'

/** Options of `useTopic`: the store's options, a throttle, and `enabled` (a boolean, ref or getter). */
export interface UseTopicOptions<T = unknown> extends Omit<ConditionalTopicOptions<T>, 'enabled'> {
  /** `false`: subscribe to nothing and show the idle state; a ref or getter turns it on and off. */
  enabled?: MaybeRefOrGetter<boolean>
}

/**
 * The live state of a topic filter as a read-only ShallowRef: `{ status, data, message, history,
 * error }`. The filter may be a ref or getter: when it changes, the composable resubscribes.
 * `message.params` is typed from the filter's named wildcards when the filter is a literal.
 * A `null` filter or `enabled: false` subscribes nothing and gives the idle state.
 */
export function useTopic(filter: null | undefined, options?: UseTopicOptions): Readonly<ShallowRef<IdleTopicState>>
export function useTopic<F extends RegisteredFilter>(
  filter: MaybeRefOrGetter<F | null | undefined>,
  options?: UseTopicOptions<RegisteredTopics[F]>,
): Readonly<ShallowRef<TopicState<RegisteredTopics[F], F>>>
export function useTopic<T = unknown, F extends string = string>(
  filter: MaybeRefOrGetter<F | null | undefined>,
  options?: UseTopicOptions<T>,
): Readonly<ShallowRef<TopicState<T, F>>>
export function useTopic<T, F extends string>(
  filter: MaybeRefOrGetter<F | null | undefined>,
  options: UseTopicOptions<T> = {},
): Readonly<ShallowRef<TopicState<T, F>>> {
  const client = useLiveTopicClient()
  const { enabled, ...viewOptions } = options
  // same filter and options → same store: the watcher only moves when the filter or `enabled` really changes
  return useStoreRef(() => conditionalTopicView<T, F>(client, toValue(filter), { ...viewOptions, enabled: toValue(enabled) !== false }))
}
