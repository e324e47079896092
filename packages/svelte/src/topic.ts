import { topicView, type RegisteredFilter, type RegisteredTopics, type TopicStore, type TopicViewOptions } from '@livetopic/core'
import { getLiveTopicClient } from './context.js'

/**
 * The store of a topic filter from the client in context (call during component set-up); use it
 * as `$chat`. For a filter that changes, keep the client: `const live = getLiveTopicClient()`
 * then `const chat = $derived(live.topic(filter))`.
 */
export function topic<F extends RegisteredFilter>(filter: F, options?: TopicViewOptions<RegisteredTopics[F]>): TopicStore<RegisteredTopics[F]>
export function topic<T = unknown>(filter: string, options?: TopicViewOptions<T>): TopicStore<T>
export function topic<T>(filter: string, options?: TopicViewOptions<T>): TopicStore<T> {
  return topicView<T>(getLiveTopicClient(), filter, options)
}
