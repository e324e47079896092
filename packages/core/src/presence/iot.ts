import { atom, onStart, onStop, type ReadableAtom } from 'nanostores'
import { jsonCodec } from '../codecs.js'
import type { LiveTopicError } from '../errors.js'
import { setSafely } from '../isolate.js'
import type { LiveTopicClient, TopicState } from '../types.js'
import { presence } from '../aws/presence.js'
import { checkPrefix, readEnvelope, topicLevel, type PresenceEnvelope } from './envelope.js'
import { combinedStatus, followMessages } from './follow.js'
import type { PresenceConnection, PresenceFeed, PresenceStrategy } from './types.js'

/** Options of {@link iotPresence}. */
export interface IotPresenceOptions {
  /**
   * Retained roster a rule keeps from lifecycle events and state announcements (see
   * docs/presence.md): `{ members: [{ clientId, connectedAt, state?, stateAt? }], timestamp }`.
   * Without it, only what changes after subscribing is known.
   */
  roster?: string
  /** Topic under which each connection announces its state, `<states>/<clientId>` (default `presence/state`). */
  states?: string
}

const NAME = 'iotPresence'
// live announcements kept for connections the lifecycle events have not shown yet (or no longer show)
const MAX_STATES = 1000

interface Announced {
  state: unknown
  at: number
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

// the state each roster entry carries, by client id: the roster brings late joiners up to date
function rosterStates(payload: unknown): Map<string, Announced> {
  const states = new Map<string, Announced>()
  const list = isRecord(payload) && Array.isArray(payload.members) ? (payload.members as unknown[]) : []
  for (const item of list) {
    if (!isRecord(item) || typeof item.clientId !== 'string' || typeof item.stateAt !== 'number') continue
    states.set(typeof item.stateClientId === 'string' ? item.stateClientId : item.clientId, { state: item.state, at: item.stateAt })
  }
  return states
}

/**
 * Presence on AWS IoT Core: who is connected comes from lifecycle events seeded by the retained
 * roster (`presence()` of `@livetopic/core/aws`); each connection announces its state on
 * `<states>/<clientId>` (not retained: IoT sends no retained messages to the `<states>/+`
 * subscription), which live members receive at once and the roster rule records, so a member
 * who joins later reads everyone's state from the roster. Every connected client is a member
 * (lifecycle events know no rooms); `leave()` changes nothing until it disconnects.
 */
export function iotPresence(options: IotPresenceOptions = {}): PresenceStrategy {
  const rosterTopic = options.roster === undefined ? undefined : checkPrefix(options.roster, 'iotPresence({ roster })')
  const prefix = checkPrefix(options.states ?? 'presence/state', 'iotPresence({ states })')
  const stores = new WeakMap<LiveTopicClient, ReadableAtom<PresenceFeed>>()

  const connections = (client: LiveTopicClient): ReadableAtom<PresenceFeed> => {
    const cached = stores.get(client)
    if (cached) return cached
    const store = atom<PresenceFeed>({ status: 'idle', connections: [] })
    stores.set(client, store)
    const online = presence(client, rosterTopic === undefined ? {} : { roster: rosterTopic })
    const roster = rosterTopic === undefined ? undefined : client.topic(rosterTopic, { codec: jsonCodec, qos: 1 })
    const announcements = client.topic(`${prefix}/+clientId`, { codec: jsonCodec, qos: 1 })
    const live = new Map<string, Announced>()
    let readError: LiveTopicError | undefined

    const emit = (): void => {
      const who = online.get()
      const fromRoster = rosterStates(roster?.get().data)
      const list: PresenceConnection[] = who.members.map((m) => {
        const a = live.get(m.clientId)
        const r = fromRoster.get(m.clientId)
        const newest = a && r ? (a.at >= r.at ? a : r) : (a ?? r)
        return { clientId: m.clientId, connectedAt: m.connectedAt, ...(newest ? { state: newest.state, updatedAt: newest.at } : {}) }
      })
      const status = combinedStatus([{ status: who.status } as TopicState<unknown>, announcements.get()])
      const error = who.error ?? announcements.get().error ?? readError
      const feed: PresenceFeed = { status, connections: Object.freeze(list) }
      setSafely(store, error ? { ...feed, error } : feed)
    }
    let stop: (() => void) | undefined
    onStart(store, () => {
      const offOnline = online.listen(emit)
      // the roster carries states too: its store may update after `online` has
      const offRoster = roster?.listen(emit)
      const offAnnouncements = followMessages(
        announcements,
        (message) => {
          const clientId = (message.params as { clientId?: string }).clientId ?? ''
          const read = readEnvelope(clientId, message.payload, message.topic)
          if (read instanceof Error) return void (readError = read)
          readError = undefined
          live.delete(clientId)
          live.set(clientId, { state: read.state, at: read.updatedAt ?? 0 })
          if (live.size > MAX_STATES) live.delete(live.keys().next().value as string)
        },
        emit,
      )
      stop = () => {
        offOnline()
        offRoster?.()
        offAnnouncements()
      }
      emit()
    })
    onStop(store, () => {
      stop?.()
      stop = undefined
      setSafely(store, { status: 'idle', connections: store.value.connections })
    })
    return store
  }

  return {
    name: NAME,
    connections,
    announce(client, state) {
      const envelope: PresenceEnvelope = { v: 1, state, at: Date.now(), since: Date.now() }
      return client.publish(`${prefix}/${topicLevel(client.clientId, NAME)}`, envelope, { qos: 1, codec: jsonCodec })
    },
    leave: () => Promise.resolve(),
  }
}
