import type { KnownFilter, TopicMap } from './types.js'

/**
 * First values of topics, by filter (the exact string given to `client.topic()`), already
 * decoded: what a server read (`readRetained` from `@livetopic/core/aws/server`) and passed to the
 * page. Typed by the client's topic map; any filter when there is none.
 */
export type Seed<Topics extends TopicMap = TopicMap> = string extends keyof Topics
  ? { readonly [filter: string]: unknown }
  : { readonly [F in KnownFilter<Topics>]?: Topics[F] }

/** A topic store as a seed takes it. */
export interface SeedTarget {
  /** Shows `payload` until a message comes; returns false (and ignores it) once a message has arrived. */
  seed(payload: unknown): boolean
}

/**
 * The seeds of one client. A seed stands for a filter until a message of that filter decodes
 * (live beats seed): stores created before then start from it, stores created after start empty.
 */
export class Seeds {
  readonly #values = new Map<string, unknown>()
  readonly #stores: ReadonlyMap<string, WeakRef<SeedTarget>>

  /** `stores`: the client's stores by key: a filter (default options), or a filter, a NUL and the options. */
  constructor(stores: ReadonlyMap<string, WeakRef<SeedTarget>>) {
    this.#stores = stores
  }

  /** The seed a new store of `filter` starts from, if any (never `undefined` as a value: `add` skips it). */
  initial(filter: string): unknown {
    return this.#values.get(filter)
  }

  /** A message of `filter` decoded: its seed is spent. */
  spend(filter: string): void {
    this.#values.delete(filter)
  }

  /** Seeds every store of each filter that has no message yet, and the stores made later. `undefined` values are skipped. */
  add(values: Readonly<Record<string, unknown>>): void {
    for (const [filter, payload] of Object.entries(values)) {
      if (payload === undefined) continue
      let live = false
      // every live store of this filter, whatever its options
      for (const [key, ref] of this.#stores) if (key.split('\u0000')[0] === filter && ref.deref()?.seed(payload) === false) live = true
      // a store already shows a message: this seed is older than what the page has seen
      if (!live) this.#values.set(filter, payload)
    }
  }
}
