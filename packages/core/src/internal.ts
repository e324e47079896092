// @livetopic/core/internal: NOT a public API. Building blocks that tests and benchmarks reach
// into. Anything here may change in any release, patch releases included. The adapters use only
// the public entry (`topicView` is public: it is what an adapter renders).
export { throttled } from './throttle.js'
export { TopicTrie } from './topic-trie.js'
export { topicMatches } from './topic-match.js'
export { assertTopicFilter, assertTopicName, parseFilter } from './topic-validation.js'
export type { ParsedFilter } from './topic-validation.js'
export { redact } from './redact.js'
export { backoffDelay, connectPause, isConnectThrottled } from './backoff.js'
// what @livetopic/devtools reads from a live client
export { inspectClient } from './inspect.js'
export type { ClientInspector, ClientTaps, TopicInspection } from './inspect.js'
