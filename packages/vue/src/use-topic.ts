import { topicView, type RegisteredFilter, type RegisteredTopics, type TopicState, type TopicViewOptions } from '@livetopic/core'
import { toValue, type MaybeRefOrGetter, type ShallowRef } from 'vue'
import { useLiveTopicClient } from './plugin.js'
import { useStoreRef } from './use-store.js'

/**
 * The live state of a topic filter as a read-only ShallowRef: `{ status, data, message, history,
 * error }`. The filter may be a ref or getter: when it changes, the composable resubscribes.
 * `message.params` is typed from the filter's named wildcards when the filter is a literal.
 */
export function useTopic<F extends RegisteredFilter>(
  filter: MaybeRefOrGetter<F>,
  options?: TopicViewOptions<RegisteredTopics[F]>,
): Readonly<ShallowRef<TopicState<RegisteredTopics[F], F>>>
export function useTopic<T = unknown, F extends string = string>(
  filter: MaybeRefOrGetter<F>,
  options?: TopicViewOptions<T>,
): Readonly<ShallowRef<TopicState<T, F>>>
export function useTopic<T, F extends string>(filter: MaybeRefOrGetter<F>, options?: TopicViewOptions<T>): Readonly<ShallowRef<TopicState<T, F>>> {
  const client = useLiveTopicClient()
  // same filter and options → same store: the watcher only moves when the filter really changes
  return useStoreRef(() => topicView<T, F>(client, toValue(filter), options))
}
