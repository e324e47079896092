import { topicView, type RegisteredFilter, type RegisteredTopics, type TopicState, type TopicViewOptions } from '@livetopic/core'
import { useLiveTopicClient } from './context.js'
import { useStoreValue } from './use-store.js'

/**
 * The live state of a topic filter: `{ status, data, message, history, error }`. Re-renders once
 * per message (or per frame / N ms with `throttle`); errors are in `error`, never thrown.
 * `message.params` is typed from the filter's named wildcards (`rooms/+room` → `{ room: string }`).
 */
export function useTopic<F extends RegisteredFilter>(filter: F, options?: TopicViewOptions<RegisteredTopics[F]>): TopicState<RegisteredTopics[F], F>
export function useTopic<T = unknown, F extends string = string>(filter: F, options?: TopicViewOptions<T>): TopicState<T, F>
export function useTopic<T, F extends string>(filter: F, options?: TopicViewOptions<T>): TopicState<T, F> {
  // same filter and options → same store, so asking on every render is cheap and stable
  return useStoreValue(topicView<T, F>(useLiveTopicClient(), filter, options))
}
