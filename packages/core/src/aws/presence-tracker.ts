/** One connected client, as lifecycle events (or the roster) describe it. */
export interface PresenceMember {
  /** The MQTT client id of the connection. */
  clientId: string
  /** `principalIdentifier` of the connection (the custom authorizer's `principalId`, a certificate id, ...). */
  principalId?: string
  /** When it connected (ms since epoch). */
  connectedAt: number
  /** The client's IP address, as the lifecycle event (or roster) gives it. */
  ipAddress?: string
}

/** What one lifecycle event or roster entry says about a client. */
export interface PresenceFact {
  clientId: string
  connected: boolean
  /** `versionNumber` of the connection; orders a client's events when both have one. */
  version?: number
  /** Event time in ms; orders events without a version number. */
  timestamp: number
  member?: PresenceMember
}

// Departed clients are remembered (so a late `connected` of an old connection stays ignored), up to this many.
const MAX_TOMBSTONES = 1000

// Is `next` news compared with `prev`? A higher version wins; with equal versions (the connect and
// disconnect of one connection share one) a disconnect beats a connect. Without versions: time.
function isNewer(next: PresenceFact, prev: PresenceFact): boolean {
  const rank = (f: PresenceFact): number => (f.connected ? 0 : 1)
  if (next.version !== undefined && prev.version !== undefined && next.version !== prev.version) return next.version > prev.version
  if (next.version === undefined || prev.version === undefined) {
    if (next.timestamp !== prev.timestamp) return next.timestamp > prev.timestamp
  }
  return rank(next) > rank(prev)
}

/**
 * Who is connected, from lifecycle events that may arrive late, out of order or twice: each client
 * keeps its newest fact, and a stale or repeated event changes nothing.
 */
export class PresenceTracker {
  private readonly entries = new Map<string, PresenceFact>()
  private tombstones = 0

  /** Applies one fact; returns true when the member list changed. */
  apply(fact: PresenceFact): boolean {
    const prev = this.entries.get(fact.clientId)
    if (prev && !isNewer(fact, prev)) return false
    if (prev) {
      // re-insert so Map order is recency order, which pruning relies on
      this.entries.delete(fact.clientId)
      if (!prev.connected) this.tombstones--
    }
    this.entries.set(fact.clientId, fact)
    if (!fact.connected) {
      this.tombstones++
      this.prune()
    }
    return (prev?.connected ?? false) || fact.connected
  }

  /**
   * Applies a roster snapshot taken at `timestamp`: its members are connected, and anyone known
   * only from facts older than the snapshot but absent from it has left.
   */
  applyRoster(members: readonly PresenceMember[], timestamp: number, versions: ReadonlyMap<string, number> = new Map()): boolean {
    let changed = false
    const listed = new Set<string>()
    for (const member of members) {
      listed.add(member.clientId)
      const version = versions.get(member.clientId)
      changed = this.apply({ clientId: member.clientId, connected: true, timestamp, member, ...(version === undefined ? {} : { version }) }) || changed
    }
    for (const [clientId, fact] of [...this.entries]) {
      if (listed.has(clientId) || !fact.connected || fact.timestamp >= timestamp) continue
      changed = this.apply({ clientId, connected: false, timestamp }) || changed
    }
    return changed
  }

  /** Connected members, oldest connection first. */
  members(): PresenceMember[] {
    const list: PresenceMember[] = []
    for (const fact of this.entries.values()) if (fact.connected) list.push(fact.member ?? { clientId: fact.clientId, connectedAt: fact.timestamp })
    return list.sort((a, b) => a.connectedAt - b.connectedAt || (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0))
  }

  clear(): void {
    this.entries.clear()
    this.tombstones = 0
  }

  private prune(): void {
    if (this.tombstones <= MAX_TOMBSTONES) return
    for (const [clientId, fact] of this.entries) {
      if (fact.connected) continue
      this.entries.delete(clientId)
      if (--this.tombstones <= MAX_TOMBSTONES) return
    }
  }
}
