import { publisherState, type PublishFunction, type PublishState, type RegisteredTopics, type TopicMap } from '@livetopic/core'
import { useMemo } from 'react'
import { useLiveTopicClient } from './context.js'
import { useStoreValue } from './use-store.js'

/**
 * `publish(topic, payload, options?)` with its state: `pending` (publishes in flight), `error`
 * (the last failure), `acknowledgedAt` and `reset()`. A new function on each state change (one
 * render each), so keep it out of effect dependencies that publish.
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
  const client = useLiveTopicClient()
  // one tracker per component and client: its state is this component's publishes only
  const tracker = useMemo(() => publisherState<Topics>(client), [client])
  const state = useStoreValue(tracker.state)
  return useMemo(() => Object.assign(((...args) => tracker.publish(...args)) as PublishFunction<Topics>, state, { reset: tracker.reset }), [tracker, state])
}
