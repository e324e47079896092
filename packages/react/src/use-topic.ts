import { topicView, type RegisteredFilter, type RegisteredTopics, type TopicState, type TopicViewOptions } from '@livetopic/core'
import { useLiveTopicClient } from './context.js'
import { useStoreValue } from './use-store.js'

/**
 * The live state of a topic filter: `{ status, data, message, history, error }`. Re-renders once
 * per message (or per frame / N ms with `throttle`); errors are in `error`, never thrown.
 */
export function useTopic<F extends RegisteredFilter>(filter: F, options?: TopicViewOptions<RegisteredTopics[F]>): TopicState<RegisteredTopics[F]>
export function useTopic<T = unknown>(filter: string, options?: TopicViewOptions<T>): TopicState<T>
export function useTopic<T>(filter: string, options?: TopicViewOptions<T>): TopicState<T> {
  // same filter and options → same store, so asking on every render is cheap and stable
  return useStoreValue(topicView<T>(useLiveTopicClient(), filter, options))
}
