/**
 * `createClient`: one MQTT-over-WebSocket connection, topic stores, publish, status, typed errors, codecs.
 * @module @livetopic/core
 */
export { createClient } from './client.js'
export { LiveTopicError, isLiveTopicError } from './errors.js'
export type { LiveTopicErrorCode } from './errors.js'
export { jsonCodec, textCodec, binaryCodec } from './codecs.js'
export type { Codec } from './codecs.js'
export { mqttProfile } from './profile.js'
export type { Profile } from './profile.js'
/** The nanostores store type every livetopic store has (re-exported so adapters need no nanostores import). */
export type { ReadableAtom } from 'nanostores'
// what a framework adapter renders (React, Vue and Svelte use it; so can an adapter of your own)
export { topicView } from './topic-view.js'
export type { TopicViewOptions } from './topic-view.js'
export { conditionalTopicView, idleTopicState } from './idle-topic.js'
export type { ConditionalTopicOptions, IdleTopicState } from './idle-topic.js'
export { publisherState } from './publish-state.js'
export type { PublishState, PublisherState } from './publish-state.js'
export type { PublishArgs, PublishFunction, PublishPayload, PublishTopic, TopicTemplate } from './publish-types.js'
export { isTopicReady, topicReady } from './topic-ready.js'
export type { Throttle } from './throttle.js'
export type { LiveTopicEvent } from './debug-events.js'
export type { Seed } from './seeds.js'
export type { PublishFailure, Transport, TransportFactory, TransportHandlers, TransportOptions } from './transport.js'
export { isFinalPublishFailure, publishFailure } from './transport.js'
export { topicMatches } from './topic-match.js'
export { wsTransport } from './ws-transport.js'
export type { WebSocketConstructor, WsTransportOptions } from './ws-transport.js'
export type {
  ClientOptions,
  ConnectionState,
  ConnectionStatus,
  ListenerOptions,
  LiveTopicClient,
  Message,
  KnownFilter,
  ParamsOf,
  PayloadOf,
  PublishOptions,
  QoS,
  ReadableStore,
  ReconnectOptions,
  Register,
  RegisteredFilter,
  RegisteredTopics,
  TopicMap,
  TopicOptions,
  TopicState,
  TopicStore,
  UrlProvider,
  WillOptions,
} from './types.js'
