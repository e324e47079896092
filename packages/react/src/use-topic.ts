import {
  conditionalTopicView,
  type ConditionalTopicOptions,
  type IdleTopicState,
  type RegisteredFilter,
  type RegisteredTopics,
  type TopicState,
} from '@livetopic/core'
import { useLiveTopicClient } from './context.js'
import { useStoreValue } from './use-store.js'
import { useSuspendUntilReady } from './use-suspend.js'

/** Options of `useTopic`: the store's options, a render throttle, `enabled`, and Suspense. */
export interface UseTopicOptions<T = unknown> extends ConditionalTopicOptions<T> {
  /**
   * Suspend (show the nearest `<Suspense>` fallback) until the topic has data, from a seed or a
   * message, or an error (then in `error`, never thrown). Does not suspend on the server or while
   * hydrating: seed the client (`createClient({ seed })`) to have the data in the server HTML.
   */
  suspense?: boolean
}

/**
 * The live state of a topic filter: `{ status, data, message, history, error, seeded }`. Re-renders
 * once per message (or per frame / N ms with `throttle`); errors are in `error`, never thrown.
 * `message.params` is typed from the filter's named wildcards (`rooms/+room` → `{ room: string }`).
 * A `null` filter or `enabled: false` subscribes nothing and gives the idle state (`idleTopicState`).
 */
export function useTopic(filter: null | undefined, options?: UseTopicOptions): IdleTopicState
export function useTopic<F extends RegisteredFilter>(
  filter: F | null | undefined,
  options?: UseTopicOptions<RegisteredTopics[F]>,
): TopicState<RegisteredTopics[F], F>
export function useTopic<T = unknown, F extends string = string>(filter: F | null | undefined, options?: UseTopicOptions<T>): TopicState<T, F>
export function useTopic<T, F extends string>(filter: F | null | undefined, options: UseTopicOptions<T> = {}): TopicState<T, F> {
  // suspense is the hook's, not the store's: the same filter and options give the same store either way
  const { suspense, ...viewOptions } = options
  // same filter and options → same store, so asking on every render is cheap and stable
  const store = conditionalTopicView<T, F>(useLiveTopicClient(), filter, viewOptions)
  const state = useStoreValue(store)
  // a disabled topic never gets data: nothing to wait for
  useSuspendUntilReady(store, suspense === true && filter != null && options.enabled !== false)
  return state
}
