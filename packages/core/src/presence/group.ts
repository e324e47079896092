import { reportListenerError } from '../isolate.js'
import type { PresenceConnection, PresenceMember } from './types.js'

// ids `member` gave, by client id: it runs once per connection, and a throw is reported once
const memberIds = new WeakMap<(clientId: string) => string, Map<string, string>>()
const MAX_CACHED = 5000

function memberIdOf(clientId: string, member: ((clientId: string) => string) | undefined): string {
  if (!member) return clientId
  let cache = memberIds.get(member)
  if (!cache) memberIds.set(member, (cache = new Map<string, string>()))
  let id = cache.get(clientId)
  if (id !== undefined) return id
  try {
    const given = member(clientId)
    id = typeof given === 'string' && given !== '' ? given : clientId
  } catch (error) {
    // user code: a throw is reported, and the connection stands alone
    reportListenerError(error)
    id = clientId
  }
  if (cache.size >= MAX_CACHED) cache.clear()
  cache.set(clientId, id)
  return id
}

/**
 * Groups connections into members (by `member(clientId)`), each with the newest state of its
 * connections; this client's own connection shows `own` (its latest state), and with `listSelf`
 * (it is connected) is listed even before the broker echoes it. Members are ordered by their
 * oldest connection.
 */
export function groupMembers<S>(
  connections: readonly PresenceConnection[],
  myClientId: string,
  own: { state: unknown; updatedAt: number },
  member: ((clientId: string) => string) | undefined,
  listSelf = true,
): { members: readonly PresenceMember<S>[]; me: PresenceMember<S> | undefined } {
  const echoed = connections.find((c) => c.clientId === myClientId)
  const others = connections.filter((c) => c.clientId !== myClientId)
  const all = echoed || listSelf ? [...others, { ...echoed, clientId: myClientId, ...own }] : others
  const myId = memberIdOf(myClientId, member)
  const groups = new Map<string, PresenceConnection[]>()
  for (const c of all) {
    const id = memberIdOf(c.clientId, member)
    const group = groups.get(id)
    if (group) group.push(c)
    else groups.set(id, [c])
  }
  const at = (c: PresenceConnection): number => c.connectedAt ?? Number.MAX_SAFE_INTEGER
  const members = [...groups].map(([id, group]): PresenceMember<S> => {
    group.sort((a, b) => at(a) - at(b) || (a.clientId < b.clientId ? -1 : 1))
    const newest = group.reduce<PresenceConnection | undefined>(
      (best, c) => (c.updatedAt !== undefined && (best?.updatedAt === undefined || c.updatedAt > best.updatedAt) ? c : best),
      undefined,
    )
    const connectedAt = group[0]?.connectedAt
    return Object.freeze({
      id,
      clientIds: Object.freeze(group.map((c) => c.clientId)),
      state: newest?.state as S | undefined,
      ...(connectedAt === undefined ? {} : { connectedAt }),
      isMe: id === myId,
    })
  })
  members.sort((a, b) => (a.connectedAt ?? Infinity) - (b.connectedAt ?? Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return { members: Object.freeze(members), me: members.find((m) => m.isMe) }
}
