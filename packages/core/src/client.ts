import { resolveReconnect } from './backoff.js'
import { brokerUrlProblem } from './broker-url.js'
import { jsonCodec, type Codec } from './codecs.js'
import { Connection } from './connection.js'
import type { DebugSink } from './debug-events.js'
import { defaultTransport } from './default-transport.js'
import { LiveTopicError } from './errors.js'
import { INSPECT, type ClientInspector, type ClientTaps } from './inspect.js'
import { callSafely } from './isolate.js'
import { mqttProfile } from './profile.js'
import { Publisher } from './publisher.js'
import { Subscriptions, type SubscriptionListener } from './subscriptions.js'
import { Seeds } from './seeds.js'
import { SuspectTracker } from './suspects.js'
import { decodeMessage, TopicFeed } from './topic-store.js'
import { parseFilter } from './topic-validation.js'
import type { TransportFactory } from './transport.js'
import type { ClientOptions, ListenerOptions, LiveTopicClient, Message, PublishOptions, QoS, TopicMap, TopicOptions, TopicStore } from './types.js'

function randomClientId(): string {
  const bytes = new Uint8Array(9)
  globalThis.crypto.getRandomValues(bytes)
  return `livetopic-${Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('')}`
}

function checkOptions<Topics extends TopicMap>(options: ClientOptions<Topics>): void {
  if (!options || (typeof options.url !== 'string' && typeof options.url !== 'function'))
    throw new LiveTopicError('INVALID_OPTIONS', 'createClient needs a url: a ws:// or wss:// string, or a function returning one')
  const url = options.url
  const problem = typeof url === 'string' ? brokerUrlProblem(url) : undefined
  // the message is redacted by LiveTopicError: the URL's query string (its token) never shows
  if (typeof url === 'string' && problem) throw new LiveTopicError('INVALID_OPTIONS', `the url ${url} ${problem}`)
  if (options.protocolVersion !== undefined && options.protocolVersion !== 4 && options.protocolVersion !== 5)
    throw new LiveTopicError('INVALID_OPTIONS', 'protocolVersion must be 4 (MQTT 3.1.1) or 5')
  if (options.password !== undefined && options.username === undefined && (options.protocolVersion ?? 4) === 4)
    throw new LiveTopicError('INVALID_OPTIONS', 'MQTT 3.1.1 sends a password only with a username: set username too')
}

// Secrets known before any URL resolves, so that even the first URL_PROVIDER_FAILED message hides them.
function knownSecrets<Topics extends TopicMap>(options: ClientOptions<Topics>): string[] {
  const secrets: string[] = []
  if (typeof options.password === 'string') secrets.push(options.password)
  for (const value of Object.values(options.wsHeaders ?? {})) {
    secrets.push(value)
    // `Bearer abc`: the token alone may be quoted elsewhere
    const token = /^\S+\s+(\S+)$/.exec(value)?.[1]
    if (token) secrets.push(token)
  }
  return secrets
}

/**
 * Creates a client: one MQTT connection, opened lazily on the first listener or publish and
 * shared by every store made from it.
 */
export function createClient<Topics extends TopicMap = TopicMap>(
  options: ClientOptions<NoInfer<Topics>>,
  createTransport?: TransportFactory,
): LiveTopicClient<Topics> {
  checkOptions(options)
  const transport = createTransport ?? options.transport ?? defaultTransport(options.WebSocket ? { WebSocket: options.WebSocket } : {})
  const profile = options.profile ?? mqttProfile
  const clientId = options.clientId ?? randomClientId()
  profile.checkClientId?.(clientId)
  const defaultCodec = options.codec ?? jsonCodec
  const reconnect = resolveReconnect(options.reconnect, profile.minConnectInterval)
  const will = options.will
  let closed = false
  const closedError = (): LiveTopicError => new LiveTopicError('CLOSED', 'the client was closed')

  // user code: a throw from onEvent (or a devtools tap) is reported, never passed on. Events are
  // built even without onEvent: devtools may attach later (inspectClient) and get them through their tap
  const { onEvent } = options
  const taps: ClientTaps = {}
  const debug: DebugSink = (event) => {
    callSafely(onEvent, event)
    callSafely(taps.event, event)
  }
  // Layers, bottom up: the connection (state machine over a transport), the suspect tracker (what
  // was in flight when it dropped), then subscriptions and publishes, which subscribe to the
  // connection's events (connected, dropped, message).
  // under MQTT 5 the broker refuses with reason codes: nothing to infer from drops
  const suspects = new SuspectTracker(debug, (options.protocolVersion ?? 4) === 4)
  const connection = new Connection(
    {
      url: options.url,
      username: options.username,
      password: options.password,
      reconnect,
      fixedClientId: options.clientId !== undefined,
      transport: {
        clientId,
        protocolVersion: options.protocolVersion ?? 4,
        keepalive: options.keepalive ?? 60,
        clean: options.clean ?? true,
        ...(options.sessionExpiryInterval === undefined ? {} : { sessionExpiryInterval: options.sessionExpiryInterval }),
        ...(will
          ? {
              will: {
                topic: will.topic,
                payload: will.payload instanceof Uint8Array ? will.payload : defaultCodec.encode(will.payload),
                qos: will.qos ?? 0,
                retain: will.retain ?? false,
              },
            }
          : {}),
        wsSubprotocol: options.wsSubprotocol ?? 'mqtt',
        ...(options.wsHeaders ? { wsHeaders: options.wsHeaders } : {}),
        connectTimeout: reconnect.connectTimeout,
        maxFiltersPerSubscribe: profile.maxFiltersPerSubscribe,
        hashMatchesParent: profile.hashMatchesParent,
      },
      secrets: knownSecrets(options),
    },
    transport,
    suspects,
    debug,
  )
  const subscriptions = new Subscriptions(connection, suspects, profile, options.unsubscribeDelay ?? 1000, debug)
  const publisher = new Publisher(connection, suspects, profile, defaultCodec, options.queueLimit ?? 100, debug)

  // Same filter and options → same store, for as long as anyone holds it. Weak references (no
  // leak when thousands of distinct filters come and go), cleared ones swept whenever the map has
  // doubled since the last sweep: no FinalizationRegistry cell per store (heap).
  const feeds = new Map<string, WeakRef<TopicFeed<unknown>>>()
  let sweepAt = 0
  const codecIds = new WeakMap<Codec<unknown>, number>()
  let nextCodecId = 0
  const codecId = (codec: Codec<unknown>): number => {
    let id = codecIds.get(codec)
    if (id === undefined) codecIds.set(codec, (id = nextCodecId++))
    return id
  }
  const seeds = new Seeds(feeds)
  if (options.seed) seeds.add(options.seed)

  function topic<T>(filter: string, topicOptions: TopicOptions<T> = {}): TopicStore<T> {
    const parsed = parseFilter(filter)
    const codec = (topicOptions.codec ?? defaultCodec) as Codec<T>
    const history = Math.max(0, Math.floor(topicOptions.history ?? 0))
    const qos: QoS = topicOptions.qos ?? 0
    // a filter has no NUL (parseFilter checked): the plain filter cannot collide with a longer key
    const key = codec === defaultCodec && history === 0 && qos === 0 ? filter : `${filter}\u0000${history}\u0000${qos}\u0000${codecId(codec)}`
    const cached = feeds.get(key)?.deref()
    if (cached) return cached.store as TopicStore<T>
    if (feeds.size > sweepAt) {
      for (const [k, ref] of feeds) if (!ref.deref()) feeds.delete(k)
      sweepAt = feeds.size * 2
    }
    const feed = new TopicFeed(filter, parsed, codec, history, qos, subscriptions, seeds)
    feeds.set(key, new WeakRef(feed))
    return feed.store
  }

  function onMessage<T>(filter: string, listener: (message: Message<T>) => void, listenerOptions: ListenerOptions<T> = {}): () => void {
    const parsed = parseFilter(filter)
    const codec = (listenerOptions.codec ?? defaultCodec) as Codec<T>
    const { onError } = listenerOptions
    const subscription: SubscriptionListener & { codec: Codec<T> } = {
      parsed,
      codec,
      qos: listenerOptions.qos ?? 0,
      deliver(topicName, payload, qos, retained) {
        const decoded = decodeMessage(this, topicName, payload, qos, retained)
        if (decoded instanceof LiveTopicError) callSafely(onError, decoded)
        else callSafely(listener, decoded)
      },
      setStatus(status, error) {
        if (status === 'error' && error) callSafely(onError, error)
      },
    }
    try {
      subscriptions.add(subscription)
      return () => subscriptions.remove(subscription)
    } catch (error) {
      if (error instanceof LiveTopicError) callSafely(onError, error)
      return () => {}
    }
  }

  // devtools find the inspector by a registered symbol (inspectClient)
  const client: LiveTopicClient<Topics> & { [INSPECT]: ClientInspector } = {
    [INSPECT]: { taps, topics: () => subscriptions.inspect() },
    status: connection.status,
    clientId,
    topic: topic,
    onMessage: onMessage,
    seed: (values) => seeds.add(values),
    // the topic map types the call, not the work: at run time any topic and payload go through the same checks
    publish: (name: string, payload: unknown, publishOptions?: PublishOptions) => {
      const sent = closed ? Promise.reject(closedError()) : publisher.publish(name, payload, publishOptions)
      callSafely(taps.publish, name, payload, sent)
      return sent
    },
    connect: () => connection.ensureStarted(),
    reconnect: () => connection.retryNow(),
    async close() {
      closed = true
      const error = closedError()
      publisher.rejectAll(error)
      subscriptions.closeAll(error)
      await connection.close()
    },
  }
  connection.on('message', (...message) => taps.message && callSafely(taps.message, ...message))
  return client
}
