import { topicView, type RegisteredFilter, type RegisteredTopics, type TopicStore, type TopicViewOptions } from '@livetopic/core'
import { getLiveTopicClient } from './context.js'

/**
 * The store of a topic filter from the client in context (call during component set-up); use it
 * as `$chat`. For a filter that changes, keep the client: `const live = getLiveTopicClient()`
 * then `const chat = $derived(live.topic(filter))`. `message.params` is typed from the filter's
 * named wildcards (`rooms/+room` → `{ room: string }`).
 */
export function topic<F extends RegisteredFilter>(filter: F, options?: TopicViewOptions<RegisteredTopics[F]>): TopicStore<RegisteredTopics[F], F>
export function topic<T = unknown, F extends string = string>(filter: F, options?: TopicViewOptions<T>): TopicStore<T, F>
export function topic<T, F extends string>(filter: F, options?: TopicViewOptions<T>): TopicStore<T, F> {
  return topicView<T, F>(getLiveTopicClient(), filter, options)
}
