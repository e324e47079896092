import { atom, type PreinitializedWritableAtom } from 'nanostores'
import type { Codec } from './codecs.js'
import { LiveTopicError } from './errors.js'
import { setSafely } from './isolate.js'
import type { Seeds } from './seeds.js'
import type { SubscriptionListener, Subscriptions } from './subscriptions.js'
import { extractParams, type ParsedFilter } from './topic-validation.js'
import type { Message, QoS, TopicState, TopicStore } from './types.js'

export interface TopicStoreSettings<T> {
  /** The filter as given to `client.topic()` (seeds are keyed by it). */
  filter: string
  parsed: ParsedFilter
  codec: Codec<T>
  history: number
  qos: QoS
}

const IDLE: TopicState<never> = Object.freeze({ status: 'idle', history: Object.freeze([]) })

function seededState<T>(state: TopicState<T>, payload: T): TopicState<T> {
  return { ...state, data: payload, seeded: true }
}

/** Decodes a message for a filter; a decode failure comes back as a LiveTopicError. */
export function decodeMessage<T>(
  settings: { parsed: ParsedFilter; codec: Codec<T> },
  topic: string,
  payload: Uint8Array,
  qos: QoS,
  retained: boolean,
): Message<T> | LiveTopicError {
  try {
    const data = settings.codec.decode(payload)
    return { topic, params: extractParams(settings.parsed, topic), payload: data, qos, retained, receivedAt: Date.now() }
  } catch (cause) {
    return new LiveTopicError('DECODE_FAILED', `a ${payload.length}-byte payload on "${topic}" is not valid ${settings.codec.name}`, { topic, cause })
  }
}

/**
 * What a topic store does behind its atom: one object per store whose methods live on the
 * prototype (no closures per store), the subscription listener as well as the seed target.
 */
class TopicFeed<T> implements SubscriptionListener {
  #release: (() => void) | undefined
  readonly parsed: ParsedFilter
  readonly qos: QoS

  constructor(
    readonly store: PreinitializedWritableAtom<TopicState<T>>,
    readonly settings: TopicStoreSettings<T>,
    readonly subscriptions: Subscriptions,
    readonly seeds: Seeds | undefined,
  ) {
    this.parsed = settings.parsed
    this.qos = settings.qos
  }

  /** First listener: subscribe. */
  start(): void {
    try {
      this.#release = this.subscriptions.add(this)
    } catch (error) {
      // a filter the profile refuses: the store carries the error instead of throwing into a render
      this.patch({ status: 'error', error: error instanceof LiveTopicError ? error : new LiveTopicError('INVALID_TOPIC', String(error)) })
    }
  }

  /** Last listener gone: let go (the subscription layer delays the UNSUBSCRIBE). */
  stop(): void {
    this.#release?.()
    this.#release = undefined
    // keep the last data for a quick remount, but say nothing is listening
    this.patch({ status: 'idle' })
  }

  /** A seed counts until the first message decodes; after that it is ignored (live beats seed). */
  seed(payload: unknown): boolean {
    const { store } = this
    if (store.value.message) return false
    setSafely(store, seededState(store.value, payload as T))
    return true
  }

  deliver(topic: string, payload: Uint8Array, qos: QoS, retained: boolean): void {
    const { store, settings } = this
    const decoded = decodeMessage(settings, topic, payload, qos, retained)
    if (decoded instanceof LiveTopicError) return this.patch({ error: decoded })
    if (!store.value.message) this.seeds?.spend(settings.filter)
    const previous = store.value.history
    const history =
      settings.history > 0 ? [...(previous.length >= settings.history ? previous.slice(previous.length - settings.history + 1) : previous), decoded] : previous
    setSafely(store, { status: store.value.status, data: decoded.payload, message: decoded, history })
  }

  setStatus(status: 'subscribing' | 'subscribed' | 'error', error?: LiveTopicError): void {
    const { store } = this
    if (status === 'error') this.patch({ status, error })
    else if (store.value.status !== status) this.patch({ status, ...(store.value.error?.code === 'NOT_AUTHORIZED' ? { error: undefined } : {}) })
  }

  private patch(next: Partial<TopicState<T>>): void {
    // .value, not .get(): get() on a store without listeners mounts it, which would recurse here
    const merged = { ...this.store.value, ...next }
    if (next.error === undefined && 'error' in next) delete merged.error
    setSafely(this.store, merged)
  }
}

/**
 * A store of one filter's state. It subscribes when it gets its first listener and lets go when
 * the last one leaves (the subscription layer delays the UNSUBSCRIBE to absorb remounts).
 *
 * Heap matters here (apps hold thousands of these): instead of nanostores' onStart/onStop (an
 * events object, two arrays and about eight closures per store) the atom's own `listen` and `off`
 * are wrapped, as onStart/onStop do, by two small closures around one TopicFeed. Lifecycle
 * listeners users add with nanostores' onMount/onStart/onStop still chain on top.
 */
export function createTopicStore<T>(settings: TopicStoreSettings<T>, subscriptions: Subscriptions, seeds?: Seeds): TopicStore<T> {
  const initial = seeds?.initial(settings.filter)
  const store = atom<TopicState<T>>(initial ? seededState(IDLE, initial.payload as T) : IDLE) as PreinitializedWritableAtom<TopicState<T>> & Lifecycle
  const feed = new TopicFeed(store, settings, subscriptions, seeds)
  seeds?.attach(store, feed.seed.bind(feed))
  // eslint-disable-next-line @typescript-eslint/unbound-method -- nanostores builds these as closures over the atom: they need no `this`
  const { listen, off } = store
  store.listen = (listener) => {
    // as nanostores' onStart: the first listener (not a re-entrant one from the start itself)
    if (!store.lc && !store.starting) {
      store.starting = true
      // start() catches what it calls
      feed.start()
      delete store.starting
    }
    return listen(listener)
  }
  store.off = () => {
    feed.stop()
    off()
  }
  return store
}

/** The parts of a nanostores atom its lifecycle (onStart/onStop) works with. */
interface Lifecycle {
  /** Listener count. */
  lc: number
  /** Set while the start runs (nanostores' own flag, so onStart listeners see it too). */
  starting?: boolean
  /** Called when the last listener leaves. */
  off(): void
}
