import { atom, onStart, onStop } from 'nanostores'
import type { Codec } from './codecs.js'
import { LiveTopicError } from './errors.js'
import { setSafely } from './isolate.js'
import type { Seeds } from './seeds.js'
import type { Subscriptions } from './subscriptions.js'
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
 * A store of one filter's state. It subscribes when it gets its first listener and lets go when
 * the last one leaves (the subscription layer delays the UNSUBSCRIBE to absorb remounts).
 */
export function createTopicStore<T>(settings: TopicStoreSettings<T>, subscriptions: Subscriptions, seeds?: Seeds): TopicStore<T> {
  const initial = seeds?.initial(settings.filter)
  const store = atom<TopicState<T>>(initial ? seededState(IDLE, initial.payload as T) : IDLE)
  let release: (() => void) | undefined
  // a seed counts until the first message decodes; after that it is ignored (live beats seed)
  seeds?.attach(store, (payload) => {
    if (store.value.message) return false
    setSafely(store, seededState(store.value, payload as T))
    return true
  })

  const patch = (next: Partial<TopicState<T>>): void => {
    // .value, not .get(): get() on a store without listeners mounts it, which would recurse here
    const merged = { ...store.value, ...next }
    if (next.error === undefined && 'error' in next) delete merged.error
    setSafely(store, merged)
  }

  onStart(store, () => {
    try {
      release = subscriptions.add({
        parsed: settings.parsed,
        qos: settings.qos,
        deliver(topic, payload, qos, retained) {
          const decoded = decodeMessage(settings, topic, payload, qos, retained)
          if (decoded instanceof LiveTopicError) return patch({ error: decoded })
          if (!store.value.message) seeds?.spend(settings.filter)
          const previous = store.value.history
          const history =
            settings.history > 0
              ? [...(previous.length >= settings.history ? previous.slice(previous.length - settings.history + 1) : previous), decoded]
              : previous
          setSafely(store, { status: store.value.status, data: decoded.payload, message: decoded, history })
        },
        setStatus(status, error) {
          if (status === 'error') patch({ status, error })
          else if (store.value.status !== status) patch({ status, ...(store.value.error?.code === 'NOT_AUTHORIZED' ? { error: undefined } : {}) })
        },
      })
    } catch (error) {
      // a filter the profile refuses: the store carries the error instead of throwing into a render
      patch({ status: 'error', error: error instanceof LiveTopicError ? error : new LiveTopicError('INVALID_TOPIC', String(error)) })
    }
  })

  onStop(store, () => {
    release?.()
    release = undefined
    // keep the last data for a quick remount, but say nothing is listening
    patch({ status: 'idle' })
  })

  return store
}
