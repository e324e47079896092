import { atom, type PreinitializedWritableAtom } from 'nanostores'
import type { Codec } from './codecs.js'
import { LiveTopicError } from './errors.js'
import { setSafely } from './isolate.js'
import type { Seeds } from './seeds.js'
import type { SubscriptionListener, Subscriptions } from './subscriptions.js'
import { extractParams, type ParsedFilter } from './topic-validation.js'
import type { Message, QoS, TopicState } from './types.js'

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
  /** The atom's own `listen`, which the bound `listen` below calls. */
  readonly #listen: Listen<T>

  constructor(
    /** The filter as given to `client.topic()` (seeds are keyed by it). */
    readonly filter: string,
    readonly parsed: ParsedFilter,
    readonly codec: Codec<T>,
    readonly history: number,
    readonly qos: QoS,
    readonly subscriptions: Subscriptions,
    readonly seeds: Seeds,
  ) {
    const seed = seeds.initial(filter)
    const store = (this.store = atom<TopicState<T>>(seed === undefined ? IDLE : seededState(IDLE, seed as T)) as PreinitializedWritableAtom<TopicState<T>> &
      Lifecycle)
    // eslint-disable-next-line @typescript-eslint/unbound-method -- nanostores builds it as a closure over the atom: it needs no `this`
    this.#listen = store.listen
    // nanostores calls these without `this` (onStart/onStop keep and call the originals): bound.
    // The atom's own `off` is an empty placeholder ("we will redefine it in onMount and onStop"): not kept
    store.listen = this.listen.bind(this)
    store.off = this.stop.bind(this)
  }

  /** The store's `listen`: as nanostores' onStart, the first listener (not a re-entrant one from the start itself) subscribes. */
  private listen(listener: Parameters<Listen<T>>[0]): () => void {
    const { store } = this
    if (!store.lc && !store.starting) {
      store.starting = true
      try {
        this.subscriptions.add(this)
      } catch (error) {
        // a filter the profile refuses: the store carries the error instead of throwing into a render
        this.patch({ status: 'error', error: error instanceof LiveTopicError ? error : new LiveTopicError('INVALID_TOPIC', String(error)) })
      }
      delete store.starting
    }
    return this.#listen(listener)
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
    if (!store.value.message) this.seeds.spend(this.filter)
    const previous = store.value.history
    const history = keep > 0 ? [...(previous.length >= keep ? previous.slice(previous.length - keep + 1) : previous), decoded] : previous
    setSafely(store, { status: store.value.status, data: decoded.payload, message: decoded, history })
  }

  setStatus(status: 'subscribing' | 'subscribed' | 'error', error?: LiveTopicError): void {
    const { value } = this.store
    if (status === 'error') this.patch({ status, error })
    // a refusal is over once the broker grants it (other errors, a payload that did not decode, stay)
    else if (value.status !== status) this.patch({ status, error: value.error?.code === 'NOT_AUTHORIZED' ? undefined : value.error })
  }

  private patch(next: Partial<TopicState<T>>): void {
    // .value, not .get(): get() on a store without listeners mounts it, which would recurse here
    const merged = { ...this.store.value, ...next }
    // no `error` key rather than `error: undefined`
    if (!merged.error) delete merged.error
    setSafely(this.store, merged)
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
