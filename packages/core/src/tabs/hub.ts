import type { Transport, TransportFactory, TransportHandlers, TransportOptions } from '../transport.js'
import type { QoS } from '../types.js'

/**
 * The leader's side: the one real connection (`transport`, used as is to open, publish and
 * close), subscribed to the union of every tab's filters, counted per tab. After a drop the union
 * is empty: every tab subscribes its filters again.
 */
export class Hub {
  /** The live connection's name (unique to it, among every tab's), '' while there is none. */
  session = ''
  readonly transport: Transport
  readonly #union = new Map<string, { qos: QoS; tabs: Set<string> }>()
  // the profile's limit (AWS IoT: 8); a follower's request may hold more filters than one SUBSCRIBE may
  readonly #batch: number

  /** `handlers` are the real connection's; `onConnect` comes once `session` names the new connection. */
  constructor(factory: TransportFactory, options: TransportOptions, handlers: TransportHandlers) {
    // without a profile: AWS IoT's 8, the smallest limit we know
    this.#batch = options.maxFiltersPerSubscribe ?? 8
    this.transport = factory(options, {
      ...handlers,
      onConnect: (present) => {
        this.session = crypto.randomUUID()
        handlers.onConnect(present)
      },
      onClose: (error) => {
        this.session = ''
        this.#union.clear()
        handlers.onClose(error)
      },
    })
  }

  /** SUBSCRIBEs even a filter held already: only a SUBSCRIBE brings its retained messages to the new tab. */
  async subscribe(tab: string, subs: readonly { filter: string; qos: QoS }[]): Promise<number[]> {
    const union = this.#union
    const wanted = subs.map(({ filter, qos }) => {
      let entry = union.get(filter)
      if (!entry) union.set(filter, (entry = { qos, tabs: new Set() }))
      entry.tabs.add(tab)
      if (qos > entry.qos) entry.qos = qos
      return { filter, qos: entry.qos }
    })
    const codes = (await this.#batches(wanted, (batch) => this.transport.subscribe(batch))).flat()
    // refused for this tab: it no longer counts (and a filter nobody else holds needs no UNSUBSCRIBE)
    codes.forEach((code, i) => code >= 0x80 && this.#release(tab, subs[i]!.filter))
    return codes
  }

  /** Lets go of `tab`'s hold on the filters; UNSUBSCRIBEs those no tab holds any more. */
  async unsubscribe(tab: string, filters: readonly string[]): Promise<void> {
    await this.#batches(
      filters.filter((filter) => this.#release(tab, filter)),
      (batch) => this.transport.unsubscribe(batch),
    )
  }

  /** A tab closed or vanished: everything it held is let go. */
  leave(tab: string): void {
    this.unsubscribe(tab, [...this.#union.keys()]).catch(() => {})
  }

  /** Drops `tab`'s hold on `filter`; true when no tab holds it any more. */
  #release(tab: string, filter: string): boolean {
    const entry = this.#union.get(filter)
    return !!entry?.tabs.delete(tab) && entry.tabs.size === 0 && this.#union.delete(filter)
  }

  /** One packet per batch of the profile's size, in order. */
  async #batches<T, R>(items: T[], send: (batch: T[]) => Promise<R>): Promise<R[]> {
    const results: R[] = []
    for (let i = 0; i < items.length; i += this.#batch) results.push(await send(items.slice(i, i + this.#batch)))
    return results
  }
}
