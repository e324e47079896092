/**
 * Svelte 5 runes (≥ 5.7): `liveTopic` and `liveStore` as `{ current }` objects.
 * @module @livetopic/svelte/runes
 */
// @livetopic/svelte/runes: livetopic stores as `{ current }` objects for Svelte 5 runes, usable in
// `.svelte.ts` files as well as components (Svelte ≥ 5.7: `createSubscriber`). The main entry keeps
// working with Svelte 4; this one does not.
import type { ConditionalTopicOptions, IdleTopicState, KnownFilter, LiveTopicClient, ReadableStore, TopicMap, TopicState } from '@livetopic/core'
import { conditionalTopicView } from '@livetopic/core'
import { createSubscriber } from 'svelte/reactivity'

/** A store's value for runes: reading `current` in an effect or a template keeps it live. */
export interface Live<T> {
  /** The store's current value; reading it in an effect or a template subscribes. */
  readonly current: T
}

/**
 * Any livetopic store (a topic, `client.status`, `presence(...)`) as `{ current }`. Reading
 * `current` inside an effect, `$derived` or a template listens to the store, and stops listening
 * when the last of them is gone (the component unmounts); read elsewhere it is the value right now.
 */
export function liveStore<T>(store: ReadableStore<T>): Live<T> {
  const subscribe = createSubscriber((update) => store.listen(update))
  return {
    get current() {
      subscribe()
      return store.get()
    },
  }
}

/**
 * The live state of a topic filter as `{ current }`: `{ status, data, message, history, error,
 * seeded }`. Typed by the client's topic map; for a filter that changes, wrap it in `$derived`.
 * A `null` filter or `enabled: false` subscribes nothing and stays idle.
 */
export function liveTopic(client: LiveTopicClient, filter: null | undefined, options?: ConditionalTopicOptions): Live<IdleTopicState>
export function liveTopic<Topics extends TopicMap, F extends KnownFilter<Topics>>(
  client: LiveTopicClient<Topics>,
  filter: F | null | undefined,
  options?: ConditionalTopicOptions<Topics[F]>,
): Live<TopicState<Topics[F], F>>
export function liveTopic<T = unknown, F extends string = string>(
  client: LiveTopicClient,
  filter: F | null | undefined,
  options?: ConditionalTopicOptions<T>,
): Live<TopicState<T, F>>
export function liveTopic<T, F extends string>(
  client: LiveTopicClient,
  filter: F | null | undefined,
  options?: ConditionalTopicOptions<T>,
): Live<TopicState<T, F>> {
  return liveStore(conditionalTopicView<T, F>(client, filter, options))
}
