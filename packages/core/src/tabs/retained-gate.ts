// A broker sends retained messages on SUBSCRIBE only. When a tab subscribes a filter the leader
// already has, the leader SUBSCRIBEs again so that tab gets them, and every tab receives them:
// each tab keeps only those answering its own recent SUBSCRIBE, once per topic, as its own
// connection would have. A live message on a topic ends the window for it (the retained copy
// would now be older than what the tab has).
const WINDOW_MS = 3000

/** MQTT topic matching (spec rules; the broker already decided what to send). */
export function matches(filter: string, topic: string): boolean {
  const f = filter.split('/')
  const t = topic.split('/')
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false
  }
  return f.length === t.length
}

/** Decides which retained messages a tab keeps. */
export class RetainedGate {
  private readonly fresh = new Map<string, { until: number; seen: Set<string> }>()

  /** A SUBSCRIBE for these filters is on its way. */
  expect(filters: readonly string[]): void {
    for (const filter of filters) this.fresh.set(filter, { until: Infinity, seen: new Set() })
  }

  /** Its answer came: retained messages follow within the window. */
  settle(filters: readonly string[]): void {
    const until = Date.now() + WINDOW_MS
    for (const filter of filters) {
      const entry = this.fresh.get(filter)
      if (entry) entry.until = until
    }
  }

  forget(filters: readonly string[]): void {
    for (const filter of filters) this.fresh.delete(filter)
  }

  /** True when the tab should see this message. */
  admit(topic: string, retained: boolean): boolean {
    let admit = !retained
    const now = Date.now()
    for (const [filter, entry] of this.fresh) {
      if (entry.until < now) this.fresh.delete(filter)
      else if (matches(filter, topic) && !entry.seen.has(topic)) {
        entry.seen.add(topic)
        admit = true
      }
    }
    return admit
  }
}
