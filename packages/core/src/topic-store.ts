import { atom, type PreinitializedWritableAtom } from 'nanostores'
import type { Codec } from './codecs.js'
import { LiveTopicError } from './errors.js'
import { setSafely } from './isolate.js'
import type { Seeds } from './seeds.js'
import type { SubscriptionListener, Subscriptions } from './subscriptions.js'
import { extractParams, type ParsedFilter } from './topic-validation.js'
import type { Message, QoS, TopicState } from './types.js'

export interface TopicStoreSettings<T> {
  /** The filter as given to `client.topic()` (seeds are keyed by it). */
  filter: string
  parsed: ParsedFilter
  codec: Codec<T>
  history: number
  qos: QoS
}

const NO_HISTORY: readonly never[] = Object.freeze([])
const IDLE: TopicState<never> = Object.freeze({ status: 'idle', history: NO_HISTORY })

// A state with nothing but a status is the same for every store: shared and frozen, not one object
// per store (thousands of stores sit in 'subscribed' with no message yet).
const BARE: Readonly<Record<TopicState['status'], TopicState<never>>> = {
  idle: IDLE,
  subscribing: Object.freeze({ status: 'subscribing', history: NO_HISTORY }),
  subscribed: Object.freeze({ status: 'subscribed', history: NO_HISTORY }),
  error: Object.freeze({ status: 'error', history: NO_HISTORY }),
}

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
 * A topic store: a nanostores atom and what it does behind it, in one object per store whose
 * methods live on the prototype (no closures per store). It is the subscription listener as well
 * as the seed target; `store` is what `client.topic()` returns.
 *
 * Heap matters here (apps hold thousands of these): instead of nanostores' onStart/onStop (an
 * events object, two arrays and about eight closures per store) the atom's own `listen` and `off`
 * are replaced, as onStart/onStop do, by two functions bound to this feed. Lifecycle listeners
 * users add with nanostores' onMount/onStart/onStop still chain on top.
 */
export class TopicFeed<T> implements SubscriptionListener {
  readonly store: PreinitializedWritableAtom<TopicState<T>> & Lifecycle
  readonly filter: string
  readonly parsed: ParsedFilter
  readonly codec: Codec<T>
  readonly history: number
  readonly qos: QoS
  /** The atom's own `listen`, which the bound `listen` below calls. */
  readonly #listen: Listen<T>

  constructor(
    settings: TopicStoreSettings<T>,
    readonly subscriptions: Subscriptions,
    readonly seeds?: Seeds,
  ) {
    const initial = seeds?.initial(settings.filter)
    const store = atom<TopicState<T>>(initial ? seededState(IDLE, initial.payload as T) : IDLE) as PreinitializedWritableAtom<TopicState<T>> & Lifecycle
    this.store = store
    this.filter = settings.filter
    this.parsed = settings.parsed
    this.codec = settings.codec
    this.history = settings.history
    this.qos = settings.qos
    // eslint-disable-next-line @typescript-eslint/unbound-method -- nanostores builds it as a closure over the atom: it needs no `this`
    this.#listen = store.listen
    // nanostores calls these without `this` (onStart/onStop keep and call the originals): bound
    store.listen = this.listen.bind(this)
    // the atom's own `off` is an empty placeholder (nanostores' words: "we will redefine it in
    // onMount and onStop"): replaced, not kept
    store.off = this.stop.bind(this)
  }

  /** The store's `listen`: as nanostores' onStart, subscribes at the first listener (not a re-entrant one from the start itself). */
  private listen(listener: Parameters<Listen<T>>[0]): () => void {
    const { store } = this
    if (!store.lc && !store.starting) {
      store.starting = true
      // start() catches what it calls
      this.start()
      delete store.starting
    }
    return this.#listen(listener)
  }

  /** First listener: subscribe. */
  private start(): void {
    try {
      this.subscriptions.add(this)
    } catch (error) {
      // a filter the profile refuses: the store carries the error instead of throwing into a render
      this.patch({ status: 'error', error: error instanceof LiveTopicError ? error : new LiveTopicError('INVALID_TOPIC', String(error)) })
    }
  }

  /** The store's `off`: the last listener is gone, let go (the subscription layer delays the UNSUBSCRIBE). */
  private stop(): void {
    this.subscriptions.remove(this)
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
    const { store, history: keep } = this
    const decoded = decodeMessage(this, topic, payload, qos, retained)
    if (decoded instanceof LiveTopicError) return this.patch({ error: decoded })
    if (!store.value.message) this.seeds?.spend(this.filter)
    const previous = store.value.history
    const history = keep > 0 ? [...(previous.length >= keep ? previous.slice(previous.length - keep + 1) : previous), decoded] : previous
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
    const bare = merged.history === NO_HISTORY && Object.keys(merged).length === 2
    setSafely(this.store, bare ? BARE[merged.status] : merged)
  }
}

type Listen<T> = PreinitializedWritableAtom<TopicState<T>>['listen']

/** The parts of a nanostores atom its lifecycle (onStart/onStop) works with. */
interface Lifecycle {
  /** Listener count. */
  lc: number
  /** Set while the start runs (nanostores' own flag, so onStart listeners see it too). */
  starting?: boolean
  /** Called when the last listener leaves. */
  off(): void
}
