import { topicView, type RegisteredFilter, type RegisteredTopics, type TopicState, type TopicViewOptions } from '@livetopic/core'
import { toValue, type MaybeRefOrGetter, type ShallowRef } from 'vue'
import { useLiveTopicClient } from './plugin.js'
import { useStoreRef } from './use-store.js'

/**
 * The live state of a topic filter as a read-only ShallowRef: `{ status, data, message, history,
 * error }`. The filter may be a ref or getter: when it changes, the composable resubscribes.
 */
export function useTopic<F extends RegisteredFilter>(filter: MaybeRefOrGetter<F>, options?: TopicViewOptions<RegisteredTopics[F]>): Readonly<ShallowRef<TopicState<RegisteredTopics[F]>>>
export function useTopic<T = unknown>(filter: MaybeRefOrGetter<string>, options?: TopicViewOptions<T>): Readonly<ShallowRef<TopicState<T>>>
export function useTopic<T>(filter: MaybeRefOrGetter<string>, options?: TopicViewOptions<T>): Readonly<ShallowRef<TopicState<T>>> {
  const client = useLiveTopicClient()
  // same filter and options → same store: the watcher only moves when the filter really changes
  return useStoreRef(() => topicView<T>(client, toValue(filter), options))
}
