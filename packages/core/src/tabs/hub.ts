import type { LiveTopicError } from '../errors.js'
import type { Transport, TransportFactory, TransportHandlers, TransportOptions } from '../transport.js'
import type { QoS } from '../types.js'

/** What the hub tells the leader tab's transport. */
export interface HubEvents {
  up(session: string): void
  down(error: LiveTopicError | undefined): void
  message: TransportHandlers['onMessage']
}

/**
 * The leader's side: the one real connection, subscribed to the union of every tab's filters,
 * counted per tab. After a drop the union is empty: every tab subscribes its filters again.
 */
export class Hub {
  /** The live connection's name, '' while there is none. */
  session = ''
  #count = 0
  readonly #union = new Map<string, { qos: QoS; tabs: Set<string> }>()
  readonly #inner: Transport
  // the profile's limit (AWS IoT: 8); a follower's request may hold more filters than one SUBSCRIBE may
  readonly #batch: number

  constructor(id: string, factory: TransportFactory, options: TransportOptions, events: HubEvents) {
    // without a profile: AWS IoT's 8, the smallest limit we know
    this.#batch = options.maxFiltersPerSubscribe ?? 8
    this.#inner = factory(options, {
      onConnect: () => events.up((this.session = `${id}:${++this.#count}`)),
      onMessage: events.message,
      onClose: (error) => {
        this.session = ''
        this.#union.clear()
        events.down(error)
      },
    })
  }

  open(url: string, credentials: { username?: string; password?: string }): void {
    this.#inner.open(url, credentials)
  }

  /** SUBSCRIBEs even a filter held already: only a SUBSCRIBE brings its retained messages to the new tab. */
  async subscribe(tab: string, subs: readonly { filter: string; qos: QoS }[]): Promise<number[]> {
    const wanted = subs.map(({ filter, qos }) => {
      let entry = this.#union.get(filter)
      if (!entry) this.#union.set(filter, (entry = { qos, tabs: new Set() }))
      entry.tabs.add(tab)
      if (qos > entry.qos) entry.qos = qos
      return { filter, qos: entry.qos }
    })
    const codes: number[] = []
    for (let i = 0; i < wanted.length; i += this.#batch) codes.push(...(await this.#inner.subscribe(wanted.slice(i, i + this.#batch))))
    codes.forEach((code, i) => {
      const entry = this.#union.get(subs[i]!.filter)
      // refused for this tab: it no longer counts (and a filter nobody else holds needs no UNSUBSCRIBE)
      if (code >= 0x80 && entry?.tabs.delete(tab) && entry.tabs.size === 0) this.#union.delete(subs[i]!.filter)
    })
    return codes
  }

  /** Lets go of `tab`'s hold on the filters; UNSUBSCRIBEs those no tab holds any more. */
  async unsubscribe(tab: string, filters: readonly string[]): Promise<void> {
    const gone = filters.filter((filter) => {
      const entry = this.#union.get(filter)
      if (!entry?.tabs.delete(tab) || entry.tabs.size > 0) return false
      return this.#union.delete(filter)
    })
    for (let i = 0; i < gone.length; i += this.#batch) await this.#inner.unsubscribe(gone.slice(i, i + this.#batch))
  }

  /** A tab closed or vanished: everything it held is let go. */
  leave(tab: string): void {
    const held = [...this.#union].filter(([, entry]) => entry.tabs.has(tab)).map(([filter]) => filter)
    if (held.length > 0) this.unsubscribe(tab, held).catch(() => {})
  }

  publish(topic: string, payload: Uint8Array | string, options: { qos: QoS; retain: boolean }): Promise<void> {
    return this.#inner.publish(topic, payload, options)
  }

  close(): Promise<void> {
    return this.#inner.close()
  }

  abort(): void {
    this.#inner.abort()
  }
}
