import { throttled, type Throttle } from './throttle.js'
import type { LiveTopicClient, TopicOptions, TopicStore } from './types.js'

/** Options the framework adapters take for a topic: the store's options plus a render throttle. */
export interface TopicViewOptions<T = unknown> extends TopicOptions<T> {
  /** Change at most once per animation frame or per N ms (the store still keeps every message in `history`). */
  throttle?: Throttle
}

/**
 * The store an adapter renders for a filter: `client.topic()`, throttled when asked. Same
 * arguments give the same store, so a component may call this on every render.
 */
export function topicView<T, F extends string = string>(
  client: Pick<LiveTopicClient, 'topic'>,
  filter: F,
  options: TopicViewOptions<T> = {},
): TopicStore<T, F> {
  const { throttle, ...topicOptions } = options
  return throttled(client.topic<T, F>(filter, topicOptions), throttle)
}
