import { atom, onStart, onStop, type ReadableAtom } from 'nanostores'
import { jsonCodec, type Codec } from '../codecs.js'
import type { LiveTopicError } from '../errors.js'
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

const IDLE: PresenceState = Object.freeze({ status: 'idle', members: Object.freeze([]) as readonly PresenceMember[] })

// an empty payload is how a retained roster is deleted: read it as "nobody"
const rosterCodec: Codec<unknown> = {
  name: 'json',
  encode: jsonCodec.encode,
  decode: (bytes) => (bytes.length === 0 ? null : jsonCodec.decode(bytes)),
}

const stores = new WeakMap<object, Map<string, ReadableAtom<PresenceState>>>()

/**
 * Store of the clients connected to AWS IoT Core, from `$aws/events/presence/...` lifecycle
 * events (the policy must allow subscribing to and receiving them). Events that arrive late or
 * twice are dropped by their `versionNumber`/timestamp. Subscribes while it has listeners; after a
 * reconnect that lost the session it starts over (events were missed) and re-reads the roster.
 */
export function presence(client: LiveTopicClient, options: PresenceOptions = {}): ReadableAtom<PresenceState> {
  const key = options.roster ?? ''
  let byClient = stores.get(client)
  if (!byClient) stores.set(client, (byClient = new Map()))
  const cached = byClient.get(key)
  if (cached) return cached
  const store = atom<PresenceState>(IDLE)
  byClient.set(key, store)

  // Kept across stop/start: a remount that finds the subscription still up (the client delays
  // UNSUBSCRIBE) keeps its members; a fresh SUBSCRIBE starts over (see `follow`).
  const tracker = new PresenceTracker()
  let members: readonly PresenceMember[] = IDLE.members
  let readError: LiveTopicError | undefined
  let stop: (() => void) | undefined
  const events = client.topic(PRESENCE_FILTER, { codec: jsonCodec })
  const roster = options.roster === undefined ? undefined : client.topic(options.roster, { codec: rosterCodec })

  const publish = (): void => {
    const states = [events.value, roster?.value].filter((s): s is TopicState<unknown> => s !== undefined)
    const status = states.some((s) => s.status === 'error') ? 'error'
      : states.every((s) => s.status === 'subscribed') ? 'subscribed'
      : states.some((s) => s.status !== 'idle') ? 'subscribing' : 'idle'
    const error = states.find((s) => s.error)?.error ?? readError
    store.set(error ? { status, members, error } : { status, members })
  }

  // Each topic store keeps its last message across remounts: only messages after this start count.
  const follow = (topic: ReadableAtom<TopicState<unknown>>, onMessage: (message: Message<unknown>) => LiveTopicError | boolean): (() => void) => {
    let last = topic.value?.message
    let status = topic.value?.status
    return topic.listen((state) => {
      if (topic === events && state.status === 'subscribing' && status !== 'subscribing') {
        // a new SUBSCRIBE (first start, or after a reconnect without session): events were missed,
        // so start over; the retained roster, if any, comes again with the new SUBSCRIBE
        tracker.clear()
        members = IDLE.members
        readError = undefined
      }
      status = state.status
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
    const offRoster = roster && follow(roster, (message) => {
      const parsed = parseRoster(message)
      return parsed instanceof Error ? parsed : tracker.applyRoster(parsed.members, parsed.timestamp, parsed.versions)
    })
    stop = () => {
      offEvents()
      offRoster?.()
    }
    publish()
  })
  onStop(store, () => {
    stop?.()
    stop = undefined
    // like a topic store: keep the members for a quick remount, but say nothing is listening
    store.set(readError ? { status: 'idle', members, error: readError } : { status: 'idle', members })
  })
  return store
}
