// @livetopic/core/internal: NOT a public API. Building blocks the framework adapters, tests,
// benchmarks and the broker's tooling share. Anything here may change in any release, patch
// releases included; the adapters pin the exact core version they were built with.
export { topicView } from './topic-view.js'
export { throttled } from './throttle.js'
export { TopicTrie } from './topic-trie.js'
export { assertTopicFilter, assertTopicName, parseFilter, extractParams } from './topic-validation.js'
export type { ParsedFilter } from './topic-validation.js'
export { redact } from './redact.js'
export { backoffDelay, resolveReconnect } from './backoff.js'
export type { ResolvedReconnect } from './backoff.js'
