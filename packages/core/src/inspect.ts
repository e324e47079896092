// What @livetopic/devtools reads from a live client: its debug events, its incoming messages, its
// publishes and its subscriptions, all after the client was created. Nothing here costs anything
// until an inspector listens (messages and publishes are not even tapped before that).
import type { LiveTopicEvent } from './debug-events.js'
import type { LiveTopicError } from './errors.js'
import { callSafely } from './isolate.js'
import type { QoS } from './types.js'

/** One filter the client has (or asks the broker for), as devtools show it. */
export interface TopicInspection {
  readonly filter: string
  /** `pending`: not sent yet; `inflight`: waiting for SUBACK; `stale`: kept across a drop; `forbidden`: refused. */
  readonly state: 'pending' | 'inflight' | 'subscribed' | 'stale' | 'forbidden'
  /** Topic stores and `onMessage` callbacks listening to it. */
  readonly listeners: number
  readonly error?: LiveTopicError
}

/** A message the client received, before any codec. */
export interface InspectedMessage {
  readonly topic: string
  readonly payload: Uint8Array
  readonly qos: QoS
  readonly retained: boolean
}

/** A `client.publish` call and how it ended (`error` set when it was refused or failed). */
export interface InspectedPublish {
  readonly topic: string
  /** The value given to publish, before its codec. */
  readonly payload: unknown
  readonly ok: boolean
  readonly error?: LiveTopicError
}

/** Read access to a live client, for devtools. Every `on*` returns the function that stops listening. */
export interface ClientInspector {
  /** Every filter the client holds now. */
  topics(): TopicInspection[]
  /** The `onEvent` stream, from now on. */
  onEvent(listener: (event: LiveTopicEvent) => void): () => void
  /** Every message received, from now on. */
  onMessage(listener: (message: InspectedMessage) => void): () => void
  /** Every publish, reported when it is acknowledged or fails. */
  onPublish(listener: (publish: InspectedPublish) => void): () => void
}

/** What createClient hands the inspector: its subscriptions, and a way to hear incoming messages. */
interface InspectedParts {
  topics(): TopicInspection[]
  tapMessages(listener: (topic: string, payload: Uint8Array, qos: QoS, retained: boolean) => void): void
}

const inspectors = new WeakMap<object, ClientInspector>()

/** The inspector of a client made by this copy of `createClient`; undefined for anything else. */
export function inspectClient(client: object): ClientInspector | undefined {
  return inspectors.get(client)
}

function listen<T>(listeners: Set<T>, listener: T): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** Built by createClient, one per client. */
export class Inspection implements ClientInspector {
  readonly #events = new Set<(event: LiveTopicEvent) => void>()
  readonly #messages = new Set<(message: InspectedMessage) => void>()
  readonly #publishes = new Set<(publish: InspectedPublish) => void>()
  #parts?: InspectedParts
  #tapped = false

  /** Connects the client's layers and makes the client inspectable. */
  attach(client: object, parts: InspectedParts): void {
    this.#parts = parts
    inspectors.set(client, this)
  }

  /** Passes a debug event on to the inspectors listening (none: nothing happens). */
  emit(event: LiveTopicEvent): void {
    for (const listener of this.#events) callSafely(listener, event)
  }

  /** Reports a publish once settled, if anyone listens; returns the same promise. */
  watchPublish(topic: string, payload: unknown, sent: Promise<void>): Promise<void> {
    if (this.#publishes.size === 0) return sent
    const report = (publish: InspectedPublish): void => {
      for (const listener of this.#publishes) callSafely(listener, publish)
    }
    sent.then(
      () => report({ topic, payload, ok: true }),
      (error: LiveTopicError) => report({ topic, payload, ok: false, error }),
    )
    return sent
  }

  topics(): TopicInspection[] {
    return this.#parts?.topics() ?? []
  }

  onEvent(listener: (event: LiveTopicEvent) => void): () => void {
    return listen(this.#events, listener)
  }

  onMessage(listener: (message: InspectedMessage) => void): () => void {
    // tapped on first use only: a client nobody inspects has no extra call per message
    if (!this.#tapped && this.#parts) {
      this.#tapped = true
      this.#parts.tapMessages((topic, payload, qos, retained) => {
        if (this.#messages.size === 0) return
        const message: InspectedMessage = { topic, payload, qos, retained }
        for (const each of this.#messages) callSafely(each, message)
      })
    }
    return listen(this.#messages, listener)
  }

  onPublish(listener: (publish: InspectedPublish) => void): () => void {
    return listen(this.#publishes, listener)
  }
}
