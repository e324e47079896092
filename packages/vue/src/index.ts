/**
 * Vue composables over `@livetopic/core`: `useTopic`, `usePublish`, `useConnection`, `usePresence`.
 * @module @livetopic/vue
 */
export { liveTopic, liveTopicKey, useLiveTopicClient } from './plugin.js'
export type { AnyLiveTopicClient } from './plugin.js'
export { useTopic } from './use-topic.js'
export type { UseTopicOptions } from './use-topic.js'
export { useConnection } from './use-connection.js'
export { usePublish } from './use-publish.js'
export type { UsePublishResult } from './use-publish.js'
export { useTopicListener } from './use-topic-listener.js'
export type { UseTopicListenerOptions } from './use-topic-listener.js'
export { usePresence } from './use-presence.js'
export type { UsePresenceOptions, UsePresenceResult } from './use-presence.js'
export { useStoreRef } from './use-store.js'
// the one store type of every adapter, from core
export type { ReadableStore } from '@livetopic/core'
