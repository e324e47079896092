import { LiveTopicError, type LiveTopicClient, type TopicMap } from '@livetopic/core'
import { hasInjectionContext, inject, type InjectionKey, type Plugin } from 'vue'

/** A livetopic client, whatever its topic map. */
export type AnyLiveTopicClient = LiveTopicClient<TopicMap>

/** Where the plugin provides the client; `provide(liveTopicKey, client)` in a subtree overrides it. */
export const liveTopicKey: InjectionKey<AnyLiveTopicClient> = Symbol('livetopic')

/** Vue plugin: `app.use(liveTopic(client))` makes the client available to every composable. */
export function liveTopic(client: AnyLiveTopicClient): Plugin {
  return { install: (app) => void app.provide(liveTopicKey, client) }
}

/** The client provided by the plugin; throws when there is none (a setup mistake). */
export function useLiveTopicClient(): AnyLiveTopicClient {
  const client = hasInjectionContext() ? inject(liveTopicKey, null) : null
  if (!client)
    throw new LiveTopicError('INVALID_OPTIONS', 'no livetopic client: app.use(liveTopic(client)), and call composables in setup() or app.runWithContext()')
  return client
}
