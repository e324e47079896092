/**
 * Svelte stores over `@livetopic/core`: `topic`, `publish`, `connection`, `presence` (Svelte 4 and 5).
 * @module @livetopic/svelte
 */
export { getLiveTopicClient, setLiveTopicClient } from './context.js'
export type { AnyLiveTopicClient } from './context.js'
export { topic } from './topic.js'
export { connection } from './connection.js'
export { publish } from './publish.js'
export type { PublishStore } from './publish.js'
export { presence } from './presence.js'
export type { PresenceStore, PresenceStoreOptions } from './presence.js'
