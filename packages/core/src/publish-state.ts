// Publish with state (pending, last error, last acknowledgement) for the adapters' usePublish: the
// logic lives here once, the adapters only render the store.
import { atom, type ReadableAtom } from 'nanostores'
import type { LiveTopicError } from './errors.js'
import type { PublishArgs, PublishFunction } from './publish-types.js'
import type { LiveTopicClient, TopicMap } from './types.js'

/** What a tracked publisher has done so far. A new object on every change. */
export interface PublishState {
  /** Publishes started and not yet settled (acknowledged or failed). */
  readonly pending: number
  /** Why the latest failed publish failed; kept until `reset()`, not cleared by a later success. */
  readonly error?: LiveTopicError
  /** `Date.now()` when the latest publish was acknowledged (PUBACK at QoS 1, written at QoS 0). */
  readonly acknowledgedAt?: number
}

/** `publisherState()`: a publish function, its state store, and `reset()`. */
export interface PublisherState<Topics extends TopicMap = TopicMap> {
  /** `client.publish` that also updates `state`; the promise still rejects on failure. */
  readonly publish: PublishFunction<Topics>
  /** The state; starts at `{ pending: 0 }`. */
  readonly state: ReadableAtom<PublishState>
  /** Forgets `error` and `acknowledgedAt` (`pending` counts what is really in flight). */
  readonly reset: () => void
}

/**
 * Tracks the publishes made through it, e.g. for a send button: `pending` while in flight, the
 * last `error`, when the last one was acknowledged. Each settle changes the store once.
 */
export function publisherState<Topics extends TopicMap>(client: Pick<LiveTopicClient<Topics>, 'publish'>): PublisherState<Topics> {
  const state = atom<PublishState>({ pending: 0 })
  const update = (change: (current: PublishState) => PublishState): void => state.set(change(state.get()))
  const publish = ((...args: PublishArgs<TopicMap>) => {
    // client.publish never throws: a bad topic or payload is a rejection with a LiveTopicError
    const sent = (client.publish as PublishFunction)(...args)
    update((s) => ({ ...s, pending: s.pending + 1 }))
    return sent.then(
      () => update((s) => ({ ...s, pending: s.pending - 1, acknowledgedAt: Date.now() })),
      (error: LiveTopicError) => {
        update((s) => ({ ...s, pending: s.pending - 1, error }))
        throw error
      },
    )
  }) as PublishFunction<Topics>
  const reset = (): void => {
    const { pending, error, acknowledgedAt } = state.get()
    if (error || acknowledgedAt !== undefined) state.set({ pending })
  }
  return { publish, state, reset }
}
