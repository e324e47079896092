import { LiveTopicError, type LiveTopicClient, type TopicMap } from '@livetopic/core'
import { getContext, hasContext, setContext } from 'svelte'

/** A livetopic client, whatever its topic map. */
export type AnyLiveTopicClient = LiveTopicClient<TopicMap>

const key = Symbol('livetopic')

/** Makes `client` available to this component's children (call during component set-up). */
export function setLiveTopicClient<C extends AnyLiveTopicClient>(client: C): C {
  return setContext(key, client)
}

/** The client set by an ancestor with `setLiveTopicClient`; throws when there is none (a setup mistake). */
export function getLiveTopicClient(): AnyLiveTopicClient {
  const client = hasContext(key) ? getContext<AnyLiveTopicClient | undefined>(key) : undefined
  if (!client) throw new LiveTopicError('INVALID_OPTIONS', 'no livetopic client: call setLiveTopicClient(client) in a parent component')
  return client
}
