import type { ConnectionState, ConnectionStatus, LiveTopicClient, LiveTopicEvent } from '@livetopic/core'
import { inspectClient, TopicTrie, type ClientInspector, type ClientTaps, type TopicInspection } from '@livetopic/core/internal'
import { errorText, eventText, payloadText, valueText } from './format.js'

/** One change of the connection status. */
export interface StatusEntry {
  readonly at: number
  readonly status: ConnectionStatus
  readonly role?: 'leader' | 'follower'
  readonly error?: string
}

/** One line of the message log: a message received (`in`) or a publish settled (`out`). */
export interface LogEntry {
  readonly id: number
  readonly at: number
  readonly direction: 'in' | 'out'
  readonly topic: string
  readonly text: string
  readonly retained?: boolean
  readonly error?: string
}

/** One debug event (`onEvent`). */
export interface EventEntry {
  readonly id: number
  readonly at: number
  readonly type: LiveTopicEvent['type']
  readonly text: string
  /** A refusal or failure: shown as an error. */
  readonly failed: boolean
}

/** A filter the client holds, with the last message that matched it. */
export interface TopicRow extends TopicInspection {
  readonly last?: { readonly at: number; readonly text: string }
}

/** Which log lines to show: a topic substring and a direction. */
export interface LogFilter {
  text: string
  show: 'all' | 'in' | 'out' | 'errors'
}

const FAILED_EVENTS = new Set<LiveTopicEvent['type']>(['url-failed', 'connect-failed', 'dropped', 'gave-up', 'forbidden'])

function isFailed(event: LiveTopicEvent): boolean {
  return FAILED_EVENTS.has(event.type) || (event.type === 'suback' && event.results.some((r) => r.code >= 0x80))
}

/**
 * What the panel shows, kept apart from the DOM: the client's status history, its topics, a
 * bounded message log and event stream. Listens to the client only between `start()` and `stop()`.
 */
export class DevtoolsModel {
  readonly client: LiveTopicClient
  readonly inspector: ClientInspector | undefined
  readonly #limit: number
  readonly #changed = new Set<() => void>()
  readonly #stops: (() => void)[] = []
  // the last message per filter: matched with core's own matcher, kept in step with topics()
  readonly #lastByFilter = new Map<string, { at: number; text: string }>()
  #trie = new TopicTrie<string>()
  #filters = new Set<string>()
  #nextId = 1
  status: ConnectionState
  readonly statusHistory: StatusEntry[] = []
  readonly log: LogEntry[] = []
  readonly events: EventEntry[] = []

  constructor(client: LiveTopicClient, limit = 200) {
    this.client = client
    this.inspector = inspectClient(client)
    this.#limit = Math.max(1, limit)
    this.status = client.status.get()
  }

  /** Starts listening to the client. */
  start(): void {
    if (this.#stops.length > 0) return
    this.#stops.push(this.client.status.subscribe((state) => this.#onStatus(state)))
    const taps = this.inspector?.taps
    if (!taps) return
    // the client has one tap of each kind: this model holds them until stop() (a newer model takes them over)
    const mine: ClientTaps = {
      event: (event) => {
        this.#push(this.events, { id: this.#nextId++, at: Date.now(), type: event.type, text: eventText(event) ?? '', failed: isFailed(event) })
      },
      message: (topic, payload, _qos, retained) => {
        const at = Date.now()
        const text = payloadText(payload)
        this.#refreshFilters()
        this.#trie.match(topic, (filter) => this.#lastByFilter.set(filter, { at, text }))
        this.#push(this.log, { id: this.#nextId++, at, direction: 'in', topic, text, retained })
      },
      publish: (topic, payload, sent) => {
        const entry: LogEntry = { id: this.#nextId++, at: Date.now(), direction: 'out', topic, text: valueText(payload) }
        sent.then(
          () => this.#push(this.log, entry),
          (error: unknown) => this.#push(this.log, { ...entry, error: errorText(error) }),
        )
      },
    }
    Object.assign(taps, mine)
    this.#stops.push(() => {
      for (const kind of ['event', 'message', 'publish'] as const) if (taps[kind] === mine[kind]) delete taps[kind]
    })
  }

  /** Stops listening; the state gathered so far stays. */
  stop(): void {
    for (const stop of this.#stops.splice(0)) stop()
  }

  /** Calls `listener` after every change; returns the function that stops it. */
  onChange(listener: () => void): () => void {
    this.#changed.add(listener)
    return () => this.#changed.delete(listener)
  }

  /** The client's filters now, with listener counts, state, error and last message. */
  topics(): TopicRow[] {
    const rows = this.inspector?.topics() ?? []
    return rows.map((row) => {
      const last = this.#lastByFilter.get(row.filter)
      return last ? { ...row, last } : row
    })
  }

  /** The log lines `filter` lets through, oldest first. */
  filteredLog(filter: LogFilter): LogEntry[] {
    const text = filter.text.trim().toLowerCase()
    return this.log.filter((entry) => {
      if (filter.show === 'in' || filter.show === 'out') {
        if (entry.direction !== filter.show) return false
      } else if (filter.show === 'errors' && !entry.error) return false
      return !text || entry.topic.toLowerCase().includes(text) || entry.text.toLowerCase().includes(text)
    })
  }

  /** Publishes through the client (JSON when the text parses as JSON, else the text itself). */
  async publish(topic: string, body: string, options: { qos: 0 | 1; retain: boolean }): Promise<void> {
    let payload: unknown = body
    try {
      payload = JSON.parse(body)
    } catch {
      // plain text: sent as a string
    }
    await this.client.publish(topic, payload, options)
  }

  /** Empties the log and the event stream. */
  clear(): void {
    this.log.length = 0
    this.events.length = 0
    this.#emit()
  }

  #onStatus(state: ConnectionState): void {
    this.status = state
    const previous = this.statusHistory.at(-1)
    if (previous?.status !== state.status || previous.role !== state.role) {
      const entry: StatusEntry = { at: Date.now(), status: state.status, ...(state.role ? { role: state.role } : {}) }
      this.#push(this.statusHistory, state.error ? { ...entry, error: errorText(state.error) } : entry)
    } else this.#emit()
  }

  #refreshFilters(): void {
    const now = new Set(this.inspector?.topics().map((t) => t.filter))
    if (now.size === this.#filters.size && [...now].every((f) => this.#filters.has(f))) return
    this.#trie = new TopicTrie<string>()
    for (const filter of now) this.#trie.set(filter, filter)
    for (const filter of this.#lastByFilter.keys()) if (!now.has(filter)) this.#lastByFilter.delete(filter)
    this.#filters = now
  }

  #push<T>(list: T[], entry: T): void {
    list.push(entry)
    if (list.length > this.#limit) list.splice(0, list.length - this.#limit)
    this.#emit()
  }

  #emit(): void {
    for (const listener of this.#changed) {
      try {
        listener()
      } catch (error) {
        // a panel bug must not break the client's message handling
        globalThis.reportError?.(error)
      }
    }
  }
}
