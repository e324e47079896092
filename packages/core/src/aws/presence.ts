import { atom, onStart, onStop, type ReadableAtom } from 'nanostores'
import { jsonCodec, type Codec } from '../codecs.js'
import type { LiveTopicError } from '../errors.js'
import { setSafely } from '../isolate.js'
import type { LiveTopicClient, Message, TopicState } from '../types.js'
import { lifecycleFact, parseRoster, PRESENCE_FILTER } from './presence-payloads.js'
import { PresenceTracker, type PresenceMember } from './presence-tracker.js'

/** Options of {@link presence}. The same client and options give the same store. */
export interface PresenceOptions {
  /**
   * Topic of a retained roster (JSON list of members, or `{ members, timestamp }`) kept by a
   * backend or an IoT rule. Lifecycle events only report changes after subscribing; the roster
   * seeds who was already there.
   */
  roster?: string
}

/** The value of a presence store. */
export interface PresenceState {
  /** Subscription status: `subscribed` once the lifecycle filter (and the roster) are. */
  status: TopicState['status']
  /** Connected clients, oldest connection first. */
  members: readonly PresenceMember[]
  /** A refused subscription or a payload that did not read; members are kept. */
  error?: LiveTopicError
}

const IDLE: PresenceState = Object.freeze({ status: 'idle', members: Object.freeze([]) })

// an empty payload is how a retained roster is deleted: read it as "nobody"
const rosterCodec: Codec<unknown> = {
  name: 'json',
  encode: (value) => jsonCodec.encode(value),
  decode: (bytes) => (bytes.length === 0 ? null : jsonCodec.decode(bytes)),
}

const stores = new WeakMap<object, Map<string, ReadableAtom<PresenceState>>>()

/**
 * Store of the clients connected to AWS IoT Core, from `$aws/events/presence/...` lifecycle
 * events (the policy must allow subscribing to and receiving them). Events that arrive late or
 * twice are dropped by their `versionNumber`/timestamp. Subscribes (QoS 1) while it has listeners;
 * after a reconnect that lost the session it starts over (events were missed) from the roster.
 */
export function presence(client: LiveTopicClient, options: PresenceOptions = {}): ReadableAtom<PresenceState> {
  const key = options.roster ?? ''
  let byClient = stores.get(client)
  if (!byClient) stores.set(client, (byClient = new Map<string, ReadableAtom<PresenceState>>()))
  const cached = byClient.get(key)
  if (cached) return cached
  const store = atom<PresenceState>(IDLE)
  byClient.set(key, store)

  // Kept across stop/start, so a quick remount onto a live subscription keeps its members.
  const tracker = new PresenceTracker()
  let members: readonly PresenceMember[] = IDLE.members
  let readError: LiveTopicError | undefined
  let stop: (() => void) | undefined
  let seededRoster: unknown
  // QoS 1: a persistent session (clean: false) keeps the events that come while offline
  const events = client.topic(PRESENCE_FILTER, { codec: jsonCodec, qos: 1 })
  const roster = options.roster === undefined ? undefined : client.topic(options.roster, { codec: rosterCodec, qos: 1 })

  const publish = (): void => {
    const states = [events.value, roster?.value].filter((s): s is TopicState<unknown> => s !== undefined)
    const status = states.some((s) => s.status === 'error')
      ? 'error'
      : states.every((s) => s.status === 'subscribed')
        ? 'subscribed'
        : states.some((s) => s.status !== 'idle')
          ? 'subscribing'
          : 'idle'
    const error = states.find((s) => s.error)?.error ?? readError
    setSafely(store, error ? { status, members, error } : { status, members })
  }

  // A seeded roster (server-read, no message yet) stands for the roster until its first message:
  // read as a roster at the seed's time, so every lifecycle event after it still applies.
  const seedRoster = (): void => {
    const state = roster?.value
    if (!state?.seeded || state.data === seededRoster) return
    seededRoster = state.data
    const parsed = parseRoster({ topic: options.roster ?? '', params: {}, payload: state.data, qos: 0, retained: true, receivedAt: Date.now() })
    if (parsed instanceof Error) readError = parsed
    else if (tracker.applyRoster(parsed.members, parsed.timestamp, parsed.versions)) members = Object.freeze(tracker.members())
  }

  // Events were missed (fresh SUBSCRIBE, or a new session): forget, and let the roster (retained,
  // so sent again with the new SUBSCRIBE) and the coming events rebuild the list.
  const reset = (): void => {
    tracker.clear()
    members = IDLE.members
    readError = undefined
    seededRoster = undefined
    seedRoster()
  }

  // Each topic store keeps its last message across remounts: only messages after this start count.
  const follow = (topic: ReadableAtom<TopicState<unknown>>, onMessage: (message: Message<unknown>) => LiveTopicError | boolean): (() => void) => {
    let last = topic.value?.message
    return topic.listen((state) => {
      if (state.seeded) seedRoster()
      if (state.message && state.message !== last) {
        last = state.message
        const result = onMessage(state.message)
        if (typeof result !== 'boolean') readError = result
        else {
          readError = undefined
          if (result) members = Object.freeze(tracker.members())
        }
      }
      publish()
    })
  }

  onStart(store, () => {
    const offEvents = follow(events, (message) => {
      const fact = lifecycleFact(message)
      return fact === undefined ? false : fact instanceof Error ? fact : tracker.apply(fact)
    })
    const offRoster =
      roster &&
      follow(roster, (message) => {
        const parsed = parseRoster(message)
        return parsed instanceof Error ? parsed : tracker.applyRoster(parsed.members, parsed.timestamp, parsed.versions)
      })
    if (events.value?.status !== 'subscribed') reset()
    else seedRoster()
    let connected = client.status.value?.status === 'connected'
    const offStatus = client.status.listen((state) => {
      // a reconnect without a kept session: the SUBSCRIBE goes again, nothing sent meanwhile arrives
      if (state.status === 'connected' && !connected && state.sessionPresent !== true) reset()
      connected = state.status === 'connected'
    })
    stop = () => {
      offEvents()
      offRoster?.()
      offStatus()
    }
    publish()
  })
  onStop(store, () => {
    stop?.()
    stop = undefined
    // like a topic store: keep the members for a quick remount, but say nothing is listening
    setSafely(store, readError ? { status: 'idle', members, error: readError } : { status: 'idle', members })
  })
  return store
}
