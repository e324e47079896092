import { TopicTrie } from '../topic-trie.js'

// A broker sends retained messages on SUBSCRIBE only. When a tab subscribes a filter the leader
// already has, the leader SUBSCRIBEs again so that tab gets them, and every tab receives them:
// each tab keeps only those answering its own recent SUBSCRIBE, once per topic, as its own
// connection would have. A live message on a topic ends the window for it (the retained copy
// would now be older than what the tab has).
const WINDOW_MS = 3000

interface Fresh {
  filter: string
  until: number
  seen: Set<string>
}

/** Decides which retained messages a tab keeps (filters matched by core's matcher, the broker's rules). */
export class RetainedGate {
  readonly #fresh: TopicTrie<Fresh>

  /** @param hashMatchesParent whether `a/#` matches `a` (MQTT: yes; AWS IoT Core: no). */
  constructor(hashMatchesParent = true) {
    this.#fresh = new TopicTrie(hashMatchesParent)
  }

  /** A SUBSCRIBE for these filters is on its way; call what this returns when its answer came. */
  expect(filters: readonly string[]): () => void {
    const entries = filters.map((filter): Fresh => ({ filter, until: Infinity, seen: new Set() }))
    for (const entry of entries) this.#fresh.set(entry.filter, entry)
    // retained messages follow the answer within the window
    return () => {
      const until = Date.now() + WINDOW_MS
      for (const entry of entries) entry.until = until
    }
  }

  forget(filters: readonly string[]): void {
    for (const filter of filters) this.#fresh.delete(filter)
  }

  /** True when the tab should see this message. */
  admit(topic: string, retained: boolean): boolean {
    let admit = !retained
    const now = Date.now()
    const expired: string[] = []
    this.#fresh.match(topic, (entry) => {
      if (entry.until < now) expired.push(entry.filter)
      else if (!entry.seen.has(topic)) {
        entry.seen.add(topic)
        admit = true
      }
    })
    this.forget(expired)
    return admit
  }
}
