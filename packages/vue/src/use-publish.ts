import { publisherState, type PublishFunction, type PublishState, type RegisteredTopics, type TopicMap } from '@livetopic/core'
import { useLiveTopicClient } from './plugin.js'
import { useStoreRef } from './use-store.js'

/**
 * `publish(topic, payload, options?)` with reactive state: `pending`, `error`, `acknowledgedAt`
 * read in a template or `computed` update it; `reset()` forgets the error. One function for the
 * component's life.
 */
export type UsePublishResult<Topics extends TopicMap = RegisteredTopics> = PublishFunction<Topics> &
  PublishState & {
    /** Forgets `error` and `acknowledgedAt` (`pending` counts what is really in flight). */
    readonly reset: () => void
  }

/**
 * Publish, typed by the registered topic map (or the one given: `usePublish<TopicMap>()` takes any
 * topic), with pending/error/acknowledged state for this component.
 */
export function usePublish<Topics extends TopicMap = RegisteredTopics>(): UsePublishResult<Topics> {
  const tracker = publisherState<Topics>(useLiveTopicClient())
  const state = useStoreRef(() => tracker.state)
  const publish = ((...args) => tracker.publish(...args)) as PublishFunction<Topics>
  // getters read the ref: reactive wherever they are read
  return Object.defineProperties(publish, {
    pending: { get: () => state.value.pending },
    error: { get: () => state.value.error },
    acknowledgedAt: { get: () => state.value.acknowledgedAt },
    reset: { value: tracker.reset },
  }) as UsePublishResult<Topics>
}
