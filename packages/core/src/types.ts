import type { ReadableAtom } from 'nanostores'
import type { LiveTopicError } from './errors.js'
import type { Codec } from './codecs.js'
import type { LiveTopicEvent } from './debug-events.js'
import type { Profile } from './profile.js'
import type { PublishArgs } from './publish-types.js'
import type { Seed } from './seeds.js'
import type { TransportFactory } from './transport.js'
import type { WebSocketConstructor } from './ws-transport.js'

/**
 * Where the connection stands. `failed` means livetopic stopped retrying (see `error`): no timer
 * is pending, and only `client.reconnect()` tries again. It follows a refused login
 * (`NOT_AUTHORIZED`, with a static URL or a URL provider alike: `reconnect()` asks the provider
 * again, so call it once your token is renewed), a client-id conflict, or `reconnect.maxAttempts`.
 * After `close()` the status is `offline`.
 */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'failed'

/** The value of `client.status`. */
export interface ConnectionState {
  /** Where the connection stands (see `ConnectionStatus`). */
  status: ConnectionStatus
  /** The MQTT client id in use. */
  clientId: string
  /** Connect attempts since the last stable connection (0 once connected for a while). */
  attempt: number
  /** Why the last attempt failed or the connection dropped. */
  error?: LiveTopicError
  /** Whether the broker kept the session on the last connect (MQTT `sessionPresent`). */
  sessionPresent?: boolean
  /** With `shareAcrossTabs()`: whether this tab owns the shared connection or borrows it. */
  role?: 'leader' | 'follower'
}

/** The name of a named wildcard level (`+room` → `room`, `#rest` → `rest`); `never` for any other level. */
type WildcardName<Level extends string> = Level extends `${'+' | '#'}${infer Name}` ? (Name extends '' ? never : Name) : never

/** The names of a filter's named wildcards: `rooms/+room/#rest` → `'room' | 'rest'`. */
type WildcardNames<F extends string> = F extends `${infer Level}/${infer Rest}` ? WildcardName<Level> | WildcardNames<Rest> : WildcardName<F>

/**
 * `message.params` of a filter, derived from its named wildcards: `'rooms/+room/#rest'` gives
 * `{ room: string; rest: string }`, plain `+` and `#` give `{}`. A filter only known at run time
 * (`string`) gives a record of any name.
 */
export type ParamsOf<F extends string> = string extends F ? Readonly<Record<string, string>> : { readonly [Name in WildcardNames<F>]: string }

/** One received message, decoded. `F` is the filter it matched, when known at compile time (types `params`). */
export interface Message<T = unknown, F extends string = string> {
  /** The topic it was published on (not the filter it matched). */
  topic: string
  /** Values of named wildcards: `rooms/+room/messages` on `rooms/lobby/messages` gives `{ room: 'lobby' }`. */
  params: ParamsOf<F>
  /** The payload, decoded by the topic's codec. */
  payload: T
  /** QoS it was delivered with. */
  qos: 0 | 1 | 2
  /** True for a retained message the broker sent on subscribing, false for a live one. */
  retained: boolean
  /** `Date.now()` when it arrived. */
  receivedAt: number
}

/** The value of a topic store of filter `F` (`F` types `message.params`). */
export interface TopicState<T = unknown, F extends string = string> {
  /**
   * `idle` without listeners, `subscribing` until the broker grants the subscription, `subscribed`
   * once it has, `error` when it refused it or the filter is invalid (see `error`).
   */
  status: 'idle' | 'subscribing' | 'subscribed' | 'error'
  /** Payload of the latest message that decoded. */
  data?: T
  /** The latest message that decoded. */
  message?: Message<T, F>
  /** The last `history` messages, oldest first (empty unless the `history` option is set). */
  history: readonly Message<T, F>[]
  /** Why the subscription failed, or why the latest payload did not decode (data is kept). */
  error?: LiveTopicError
  /**
   * `data` came from a seed (`createClient({ seed })`, `client.seed()`), not from a message:
   * `message` is still undefined. The first message that decodes replaces it and drops this flag.
   */
  seeded?: true
}

/** MQTT quality of service: 0 at most once, 1 at least once, 2 exactly once. */
export type QoS = 0 | 1 | 2

/** Options of `client.topic()`. The same filter and options return the same store. */
export interface TopicOptions<T = unknown> {
  /** Decoder for this topic; defaults to the client's codec (JSON unless told otherwise). */
  codec?: Codec<T>
  /** Keep the last N messages in `history` (default 0: keep none). */
  history?: number
  /** Subscription QoS (default 0). Subscriptions with different QoS on one filter use the highest. */
  qos?: QoS
}

/** Options of `client.onMessage()`. */
export interface ListenerOptions<T = unknown> extends TopicOptions<T> {
  /** Called instead of the listener when a payload does not decode, or the subscription is refused. */
  onError?: (error: LiveTopicError) => void
}

/** Options of `client.publish()`. */
export interface PublishOptions {
  /** Publish QoS (default 0). */
  qos?: QoS
  /** Ask the broker to keep it as the topic's retained message (default false). */
  retain?: boolean
  /** Encoder for this message; defaults to the client's codec. */
  codec?: Codec<unknown>
}

/** A URL, or a function giving one on every connect attempt (fresh tokens and signatures). */
export type UrlProvider = string | (() => string | Promise<string>)

/** Reconnect policy: exponential backoff with full jitter. */
export interface ReconnectOptions {
  /** First delay cap in ms (default 500). */
  initialDelay?: number
  /** Largest delay cap in ms (default 30,000). */
  maxDelay?: number
  /** Growth of the cap per attempt (default 2). */
  factor?: number
  /** A connection that lived this long (ms) resets the backoff (default 10,000). */
  stableAfter?: number
  /** Give up after this many consecutive failed attempts (default: never). */
  maxAttempts?: number
  /** How long one attempt may take, URL provider included (ms, default 15,000). */
  connectTimeout?: number
}

/** Last will: published by the broker if this client drops without saying goodbye. */
export interface WillOptions {
  /** Topic the broker publishes the will on. */
  topic: string
  /** Encoded with the client's codec; a `Uint8Array` goes as is (an empty one clears a retained message). */
  payload: unknown
  /** QoS of the will (default 0). */
  qos?: QoS
  /** Whether the broker retains the will (default false). */
  retain?: boolean
}

/** Options of `createClient()`; `Topics` (the client's topic map) types `seed`. */
export interface ClientOptions<Topics extends TopicMap = TopicMap> {
  /** Broker URL (`ws://`/`wss://`), or a provider called on every connect attempt. */
  url: UrlProvider
  /** MQTT client id. Default: `livetopic-` + random, unique per client. */
  clientId?: string
  /** 4 = MQTT 3.1.1 (default), 5 = MQTT 5. */
  protocolVersion?: 4 | 5
  /** MQTT username, or a provider asked on every connect attempt. */
  username?: string | (() => string | undefined | Promise<string | undefined>)
  /** MQTT password, or a provider asked on every connect attempt. */
  password?: string | (() => string | undefined | Promise<string | undefined>)
  /** Keep-alive in seconds (default 60). */
  keepalive?: number
  /** Clean session / clean start (default true). With false the broker keeps subscriptions and QoS 1 messages while away. */
  clean?: boolean
  /** MQTT 5 session expiry in seconds, used when `clean` is false. */
  sessionExpiryInterval?: number
  /** Last will: what the broker publishes if this client drops without DISCONNECT. */
  will?: WillOptions
  /** Default codec for every topic and publish (default JSON). */
  codec?: Codec<unknown>
  /** Broker limits to check before sending: plain MQTT (default) or `awsIotProfile` from `@livetopic/core/aws`. */
  profile?: Profile
  /** Reconnect backoff and connect timeout (defaults in `ReconnectOptions`). */
  reconnect?: ReconnectOptions
  /** Publishes kept while disconnected (default 100); beyond it `publish()` rejects with QUEUE_FULL. */
  queueLimit?: number
  /** Delay (ms) between the last listener leaving a topic and its UNSUBSCRIBE (default 1000). */
  unsubscribeDelay?: number
  /** WebSocket subprotocol (default `mqtt`). */
  wsSubprotocol?: 'mqtt' | 'mqttv3.1'
  /** Extra headers for the WebSocket upgrade (Node only; browsers cannot set them). */
  wsHeaders?: Record<string, string>
  /** How to reach the broker. Default: the built-in MQTT-over-WebSocket transport; `mqttTransport` from `@livetopic/core/mqtt` uses MQTT.js. */
  transport?: TransportFactory
  /** For the built-in transport where there is no global WebSocket (Node 20): `import { WebSocket } from 'ws'`. */
  WebSocket?: WebSocketConstructor
  /**
   * Debug hook: connect attempts, URL provider timing, CONNACK, SUBSCRIBE/SUBACK, UNSUBSCRIBE,
   * forbidden-topic inferences, queue sizes and reconnect delays, redacted. Costs nothing when
   * unset; a throw from it is reported and ignored.
   */
  onEvent?: (event: LiveTopicEvent) => void
  /**
   * First values of topics, by filter, already decoded (e.g. what a server render read with
   * `readRetained`): their stores start from them, marked `seeded`, until a message arrives.
   * Same as calling `client.seed(seed)` at once.
   */
  seed?: Seed<Topics>
}

/** Topic filter → payload type map for typed topics: `createClient<{ 'rooms/+room/messages': Chat }>(…)`. */
export type TopicMap = Record<string, unknown>

/** Payload type of a filter in a topic map, `unknown` when the filter is not in it. */
export type PayloadOf<Topics extends TopicMap, F extends string> = F extends keyof Topics ? Topics[F] : unknown

/**
 * The filters a map declares, or `never` for the catch-all `TopicMap`: so that without a declared
 * map `topic<string>('x')` means "payload string" instead of binding the filter generic to `string`.
 */
export type KnownFilter<Topics extends TopicMap> = string extends keyof Topics ? never : Extract<keyof Topics, string>

/**
 * Register your topic map once and every adapter hook is typed without a generic at each call:
 * `declare module '@livetopic/core' { interface Register { topics: { 'rooms/+room/messages': Chat } } }`
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- empty on purpose: users fill it by declaration merging
export interface Register {}

/** The topic map given to `Register`, or `TopicMap` (any filter, `unknown` payload) when none is. */
export type RegisteredTopics = Register extends {
  /** The topic map you registered. */
  topics: infer Topics
}
  ? Topics
  : TopicMap

/** A filter declared in the registered topic map (any string when none is registered). */
export type RegisteredFilter = KnownFilter<RegisteredTopics>

/** Store of one topic filter's state. */
export type TopicStore<T, F extends string = string> = ReadableAtom<TopicState<T, F>>

/**
 * What the framework adapters read a store through (React's `useStoreValue`, Vue's
 * `useStoreRef`): every nanostores atom fits, topic, status and presence stores alike.
 */
export interface ReadableStore<T> {
  /** The current value, without subscribing. */
  get(): T
  /** The current value without mounting the store (`undefined` before a lazy store first runs). */
  readonly value: T | undefined
  /** Calls `listener` on every change (not at once); returns the unsubscribe function. */
  listen(listener: (value: T) => void): () => void
  /** Calls `listener` at once and on every change (Svelte's store contract); returns the unsubscribe function. */
  subscribe(listener: (value: T) => void): () => void
}

/** A livetopic client: one MQTT connection shared by every store made from it. */
export interface LiveTopicClient<Topics extends TopicMap = TopicMap> {
  /** Connection state store. */
  readonly status: ReadableAtom<ConnectionState>
  /** The client id this client connects with. */
  readonly clientId: string
  /** Store of a topic filter's messages. Throws LiveTopicError(INVALID_TOPIC) for an invalid filter. */
  topic<F extends KnownFilter<Topics>>(filter: F, options?: TopicOptions<Topics[F]>): TopicStore<Topics[F], F>
  /** The store of any filter, its payload typed `T` (for filters outside the topic map). */
  topic<T = unknown, F extends string = string>(filter: F, options?: TopicOptions<T>): TopicStore<T, F>
  /** Calls `listener` for every message on the filter without keeping state. Returns the unsubscribe function. */
  onMessage<F extends KnownFilter<Topics>>(filter: F, listener: (message: Message<Topics[F], F>) => void, options?: ListenerOptions<Topics[F]>): () => void
  /** A callback for any filter, its payload typed `T` (for filters outside the topic map). */
  onMessage<T = unknown, F extends string = string>(filter: F, listener: (message: Message<T, F>) => void, options?: ListenerOptions<T>): () => void
  /**
   * Seeds topics: every store of each filter (whatever its options) that has no message yet, now
   * or created later, shows the value as `data` with `seeded: true` until the first message
   * decodes. A seed is ignored by a store that already has a message (live beats seed).
   */
  // generic, so that a typed client still fits where a `LiveTopicClient` of any map is expected
  seed<S extends Seed<Topics>>(values: S): void
  /**
   * Publishes; resolves on PUBACK (QoS 1) or once written (QoS 0). Queued while disconnected. Needs
   * no `this`: pass it around. With a topic map the topic must match one of its filters
   * (`rooms/+room/messages` takes `` `rooms/${string}/messages` ``) and the payload is its type.
   */
  // a method (checked both ways), so a client typed by a map fits where any client is expected
  publish(this: void, ...args: PublishArgs<Topics>): Promise<void>
  /** Connects now instead of on first use. */
  connect(): void
  /** Retries at once after `failed` or during a backoff wait. */
  reconnect(): void
  /** Closes the connection and ends every store; pending publishes reject with CLOSED. */
  close(): Promise<void>
}
