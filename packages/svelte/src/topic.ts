import {
  conditionalTopicView,
  type ConditionalTopicOptions,
  type IdleTopicState,
  type ReadableAtom,
  type RegisteredFilter,
  type RegisteredTopics,
  type TopicStore,
} from '@livetopic/core'
import { getLiveTopicClient } from './context.js'

/**
 * The store of a topic filter from the client in context (call during component set-up); use it
 * as `$chat`. For a filter that changes, keep the client: `const live = getLiveTopicClient()`
 * then `const chat = $derived(live.topic(filter))`. `message.params` is typed from the filter's
 * named wildcards (`rooms/+room` → `{ room: string }`). A `null` filter or `enabled: false` gives
 * a store that stays idle and subscribes nothing.
 */
export function topic(filter: null | undefined, options?: ConditionalTopicOptions): ReadableAtom<IdleTopicState>
export function topic<F extends RegisteredFilter>(
  filter: F | null | undefined,
  options?: ConditionalTopicOptions<RegisteredTopics[F]>,
): TopicStore<RegisteredTopics[F], F>
export function topic<T = unknown, F extends string = string>(filter: F | null | undefined, options?: ConditionalTopicOptions<T>): TopicStore<T, F>
export function topic<T, F extends string>(filter: F | null | undefined, options?: ConditionalTopicOptions<T>): TopicStore<T, F> {
  return conditionalTopicView<T, F>(getLiveTopicClient(), filter, options)
}
