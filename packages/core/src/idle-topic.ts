// Conditional topics (`enabled: false`, or a `null` filter): a store that stays idle and never
// subscribes, so an adapter's hook keeps its shape while nothing reaches the broker.
import { atom, type ReadableAtom } from 'nanostores'
import { topicView, type TopicViewOptions } from './topic-view.js'
import type { LiveTopicClient, TopicStore } from './types.js'

/** The state of a disabled topic: idle, no data, no message, nothing in history. */
export interface IdleTopicState {
  /** Always `idle`: nothing is subscribed. */
  readonly status: 'idle'
  /** Never set. */
  readonly data?: undefined
  /** Never set. */
  readonly message?: undefined
  /** Always empty. */
  readonly history: readonly []
  /** Never set. */
  readonly error?: undefined
  /** Never set. */
  readonly seeded?: undefined
}

/** Options of the adapters' topic hooks: the view's options and `enabled`. */
export interface ConditionalTopicOptions<T = unknown> extends TopicViewOptions<T> {
  /** `false`: subscribe to nothing and show the idle state (default true). */
  enabled?: boolean
}

/** The one idle state (frozen, always the same object: renders nothing new). */
export const idleTopicState: IdleTopicState = Object.freeze({ status: 'idle', history: Object.freeze<[]>([]) })

// never set: listening to it subscribes nothing anywhere
const idleStore: ReadableAtom<IdleTopicState> = atom(idleTopicState)

/**
 * `topicView()` when `filter` is a string and `enabled` is not false; otherwise a store that stays
 * `idleTopicState` and subscribes nothing. Same arguments give the same store.
 */
export function conditionalTopicView<T, F extends string = string>(
  client: Pick<LiveTopicClient, 'topic'>,
  filter: F | null | undefined,
  options: ConditionalTopicOptions<T> = {},
): TopicStore<T, F> {
  const { enabled, ...viewOptions } = options
  // the idle state is a TopicState of any payload (idle, no data): one store serves every type
  return filter == null || enabled === false ? idleStore : topicView<T, F>(client, filter, viewOptions)
}
