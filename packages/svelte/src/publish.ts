import { publisherState, type PublishFunction, type PublishState, type ReadableAtom, type RegisteredTopics, type TopicMap } from '@livetopic/core'
import { getLiveTopicClient } from './context.js'

/** `publish(topic, payload, options?)` that is also a store of its state (`$send.pending`) and has `reset()`. */
export type PublishStore<Topics extends TopicMap = RegisteredTopics> = PublishFunction<Topics> &
  Pick<ReadableAtom<PublishState>, 'subscribe' | 'get'> & {
    /** Forgets `error` and `acknowledgedAt` (`pending` counts what is really in flight). */
    readonly reset: () => void
  }

/**
 * Publish of the client in context (call during component set-up), typed by the registered topic
 * map or the one given (`publish<TopicMap>()` takes any topic): `$send.pending` (publishes in flight), `$send.error` (the last failure),
 * `$send.acknowledgedAt`; `send.reset()` forgets the error.
 */
export function publish<Topics extends TopicMap = RegisteredTopics>(): PublishStore<Topics> {
  const { publish: send, state, reset } = publisherState<Topics>(getLiveTopicClient())
  return Object.assign(send, {
    subscribe: state.subscribe.bind(state),
    get: state.get.bind(state),
    reset,
  })
}
