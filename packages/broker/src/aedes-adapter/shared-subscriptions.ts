import type { Client } from 'aedes'
import { iotFilterMatches } from '../iot-limits.js'
import { subscriptionsOf } from './internals.js'

const SHARE = /^\$share\/([^/+#]+)\/(.+)$/

/** `$share/{group}/{filter}` split, or undefined for any other filter. */
function parseSharedFilter(topic: string): { group: string; filter: string } | undefined {
  const m = SHARE.exec(topic)
  return m ? { group: m[1]!, filter: m[2]! } : undefined
}

/** The `$share/…` filter a subscription was asked for, before the rewrite (for the policy check). */
const askedAs = new WeakMap<object, string>()
export const sharedFilterOf = (subscription: object): string | undefined => askedAs.get(subscription)

interface Membership {
  /** Filter → groups the client joined on it. */
  groups: Map<string, Set<string>>
  /** Filters the client also holds as ordinary subscriptions. */
  own: Set<string>
}

/** Messages whose group choice is remembered (one message reaches each member through its own call). */
const REMEMBERED_CHOICES = 4096

/**
 * Shared subscriptions as IoT has them (MQTT 3.1.1 and 5, "Shared Subscriptions" in the developer
 * guide): `$share/{group}/{filter}` delivers each message to one connected member of the group.
 * aedes 2.0.0-beta.1 refuses them (0x9E), so before aedes sees a SUBSCRIBE the filter is rewritten
 * to `{filter}` ({@link rewrite}), the membership is kept here, and the forward hook lets a message
 * through to one member per group, chosen in turn ({@link delivers}). Not kept across a resumed
 * session, and no retained messages on a shared subscription (MQTT 5 §4.8.2).
 */
export class SharedSubscriptions {
  readonly #members = new Map<string, Set<Client>>()
  readonly #turn = new Map<string, number>()
  readonly #of = new WeakMap<Client, Membership>()
  readonly #choices = new Map<string, Client | undefined>()

  /** Rewrites a parsed SUBSCRIBE or UNSUBSCRIBE of `client` in place, before aedes handles it. */
  rewrite(client: Client, packet: { cmd: string; subscriptions?: { topic: string }[]; unsubscriptions?: string[] }): void {
    const m = this.#membership(client)
    if (packet.cmd === 'subscribe') {
      for (const s of packet.subscriptions ?? []) {
        const shared = parseSharedFilter(s.topic)
        if (!shared) {
          m.own.add(s.topic)
          continue
        }
        askedAs.set(s, s.topic)
        s.topic = shared.filter
        this.#join(client, m, shared.group, shared.filter)
      }
    } else if (packet.cmd === 'unsubscribe' && packet.unsubscriptions) {
      packet.unsubscriptions = packet.unsubscriptions.map((topic) => {
        const shared = parseSharedFilter(topic)
        if (!shared) {
          m.own.delete(topic)
          // still held for a group: aedes keeps the subscription (answered as not subscribed)
          return (m.groups.get(topic)?.size ?? 0) > 0 ? `$share/${topic}` : topic
        }
        this.#leave(client, m, shared.group, shared.filter)
        const held = m.own.has(shared.filter) || (m.groups.get(shared.filter)?.size ?? 0) > 0
        return held ? topic : shared.filter
      })
    }
  }

  /** Whether a message aedes forwards to `client` goes to it: always, unless it only reaches it through groups. */
  delivers(client: Client, packet: { topic: string; retain?: boolean; brokerId?: string; brokerCounter?: number }): boolean {
    const m = this.#of.get(client)
    if (!m || m.groups.size === 0) return true
    const matching = subscriptionsOf(client).filter((f) => iotFilterMatches(f, packet.topic))
    if (matching.length === 0 || matching.some((f) => m.own.has(f) || !m.groups.has(f))) return true
    if (packet.retain) return false
    const message = `${packet.brokerId ?? ''}:${packet.brokerCounter ?? packet.topic}`
    return matching.some((f) => [...(m.groups.get(f) ?? [])].some((g) => this.#choose(message, g, f) === client))
  }

  /** A closed client leaves its groups. */
  closed(client: Client): void {
    const m = this.#of.get(client)
    if (!m) return
    for (const [filter, groups] of m.groups) for (const g of groups) this.#members.get(key(g, filter))?.delete(client)
    this.#of.delete(client)
  }

  #membership(client: Client): Membership {
    let m = this.#of.get(client)
    if (!m) this.#of.set(client, (m = { groups: new Map(), own: new Set() }))
    return m
  }

  #join(client: Client, m: Membership, group: string, filter: string): void {
    const groups = m.groups.get(filter) ?? new Set<string>()
    m.groups.set(filter, groups.add(group))
    const k = key(group, filter)
    const members = this.#members.get(k) ?? new Set<Client>()
    this.#members.set(k, members.add(client))
  }

  #leave(client: Client, m: Membership, group: string, filter: string): void {
    m.groups.get(filter)?.delete(group)
    if (m.groups.get(filter)?.size === 0) m.groups.delete(filter)
    const k = key(group, filter)
    this.#members.get(k)?.delete(client)
    if (this.#members.get(k)?.size === 0) this.#members.delete(k)
  }

  /** The member of `group` on `filter` that gets `message`: the next live, subscribed one in turn. */
  #choose(message: string, group: string, filter: string): Client | undefined {
    const k = key(group, filter)
    const remembered = `${message}\u0000${k}`
    if (this.#choices.has(remembered)) return this.#choices.get(remembered)
    const members = [...(this.#members.get(k) ?? [])].filter((c) => !c.closed && subscriptionsOf(c).includes(filter))
    const turn = this.#turn.get(k) ?? 0
    const chosen = members.length > 0 ? members[turn % members.length] : undefined
    this.#turn.set(k, turn + 1)
    this.#choices.set(remembered, chosen)
    if (this.#choices.size > REMEMBERED_CHOICES) this.#choices.delete(this.#choices.keys().next().value!)
    return chosen
  }
}

const key = (group: string, filter: string): string => `${group}\u0000${filter}`
