import { atom, onStart, onStop, type ReadableAtom } from 'nanostores'
import { binaryCodec, jsonCodec, type Codec } from '../codecs.js'
import type { LiveTopicError } from '../errors.js'
import { setSafely } from '../isolate.js'
import type { LiveTopicClient, WillOptions } from '../types.js'
import { checkPrefix, readEnvelope, topicLevel, type PresenceEnvelope } from './envelope.js'
import { followMessages, onReconnect } from './follow.js'
import type { PresenceConnection, PresenceFeed, PresenceStrategy } from './types.js'

/** Options of {@link retainedPresence}. */
export interface RetainedPresenceOptions {
  /** Topic under which each connection keeps `<topic>/<clientId>` (default `presence/members`). */
  topic?: string
}

/** {@link PresenceStrategy} for any MQTT broker, plus the will each client must connect with. */
export interface RetainedPresenceStrategy extends PresenceStrategy {
  /**
   * The last will to pass to `createClient({ clientId, will })`: an empty retained message on the
   * connection's topic, so a connection that drops (tab killed, network gone) leaves the list.
   */
  will(this: void, clientId: string): WillOptions
}

const NAME = 'retainedPresence'
// an empty retained payload deletes the retained message: that connection left
const leftCodec: Codec<unknown> = {
  name: 'json',
  encode: (value) => jsonCodec.encode(value),
  decode: (bytes) => (bytes.length === 0 ? null : jsonCodec.decode(bytes)),
}
const EMPTY = new Uint8Array(0)

/**
 * Presence on any MQTT broker (Mosquitto, EMQX, the stand-in): each connection keeps a retained
 * message `{ state, at, since }` on `<topic>/<clientId>`, and its will (see `will()`) clears it.
 * Everyone subscribes to `<topic>/+`, so the broker sends every retained announcement on
 * subscribe. Not for AWS IoT Core, which sends no retained messages to wildcard subscriptions:
 * use `iotPresence` there.
 */
export function retainedPresence(options: RetainedPresenceOptions = {}): RetainedPresenceStrategy {
  const prefix = checkPrefix(options.topic ?? 'presence/members', 'retainedPresence({ topic })')
  const topicOf = (clientId: string): string => `${prefix}/${topicLevel(clientId, NAME)}`
  const stores = new WeakMap<LiveTopicClient, ReadableAtom<PresenceFeed>>()
  const since = new WeakMap<LiveTopicClient, number>()

  const connections = (client: LiveTopicClient): ReadableAtom<PresenceFeed> => {
    const cached = stores.get(client)
    if (cached) return cached
    const store = atom<PresenceFeed>({ status: 'idle', connections: [] })
    stores.set(client, store)
    const present = new Map<string, PresenceConnection>()
    let readError: LiveTopicError | undefined
    const topic = client.topic(`${prefix}/+clientId`, { codec: leftCodec, qos: 1 })
    const emit = (): void => {
      const state = topic.value
      const error = state?.error ?? readError
      const feed: PresenceFeed = { status: state?.status ?? 'idle', connections: Object.freeze([...present.values()]) }
      setSafely(store, error ? { ...feed, error } : feed)
    }
    let stop: (() => void) | undefined
    onStart(store, () => {
      // what arrived while nobody listened is unknown: the SUBSCRIBE (or the live one) resends the retained set
      if (topic.value?.status !== 'subscribed') present.clear()
      const offMessages = followMessages(
        topic,
        (message) => {
          const clientId = (message.params as { clientId?: string }).clientId ?? ''
          if (message.payload === null) {
            present.delete(clientId)
            return
          }
          const read = readEnvelope(clientId, message.payload, message.topic)
          if (read instanceof Error) readError = read
          else {
            readError = undefined
            present.set(clientId, read)
          }
        },
        emit,
      )
      // a clean reconnect subscribes again: the retained set arrives anew, and who left meanwhile sends nothing
      const offStatus = onReconnect(client.status, (sessionPresent) => {
        if (!sessionPresent) present.clear()
      })
      stop = () => {
        offMessages()
        offStatus()
      }
      emit()
    })
    onStop(store, () => {
      stop?.()
      stop = undefined
      present.clear()
      setSafely(store, { status: 'idle', connections: [] })
    })
    return store
  }

  return {
    name: NAME,
    connections,
    will: (clientId) => ({ topic: topicOf(clientId), payload: EMPTY, qos: 1, retain: true }),
    announce(client, state) {
      let joined = since.get(client)
      if (joined === undefined) since.set(client, (joined = Date.now()))
      const envelope: PresenceEnvelope = { v: 1, state, at: Date.now(), since: joined }
      return client.publish(topicOf(client.clientId), envelope, { qos: 1, retain: true, codec: jsonCodec })
    },
    leave(client) {
      since.delete(client)
      return client.publish(topicOf(client.clientId), EMPTY, { qos: 1, retain: true, codec: binaryCodec })
    },
  }
}
