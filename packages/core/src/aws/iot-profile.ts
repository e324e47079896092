import {
  MAX_CLIENT_ID_BYTES,
  MAX_CONNECTS_PER_SECOND_PER_CLIENT_ID,
  MAX_FILTERS_PER_SUBSCRIBE,
  MAX_PAYLOAD_BYTES,
  MAX_TOPIC_BYTES,
  MAX_TOPIC_SLASHES,
} from '@livetopic/iot'
import { LiveTopicError } from '../errors.js'
import type { Profile } from '../profile.js'
import type { QoS } from '../types.js'
import { isPublishableReservedTopic, isSubscribableReservedFilter } from './reserved-topics.js'

/** AWS IoT Core quotas the profile checks; defaults are IoT's, override them for a Region that differs. */
export interface AwsIotLimits {
  /** Largest payload in bytes (default 128 KB = 131,072). */
  maxPayloadBytes?: number
  /** Largest topic or filter in UTF-8 bytes (default 256). */
  maxTopicBytes?: number
  /** Most `/` in a topic or filter (default 7). */
  maxSlashes?: number
  /** Most filters in one SUBSCRIBE (default 8; more gets the client disconnected). */
  maxFiltersPerSubscribe?: number
  /** Longest client id in UTF-8 bytes (default 128). */
  maxClientIdBytes?: number
}

const encoder = /* @__PURE__ */ new TextEncoder()

// Basic Ingest topics (`$aws/rules/<rule>/...`) don't count their first three levels against the limits.
function countedPart(topic: string): string {
  const match = /^\$aws\/rules\/[^/]+\//i.exec(topic)
  return match ? topic.slice(match[0].length) : topic
}

/** A profile with AWS IoT Core's rules and the given quotas (for Regions whose quotas differ). */
export function createAwsIotProfile(overrides: AwsIotLimits = {}): Profile {
  const maxPayloadBytes = overrides.maxPayloadBytes ?? MAX_PAYLOAD_BYTES
  const maxTopicBytes = overrides.maxTopicBytes ?? MAX_TOPIC_BYTES
  const maxSlashes = overrides.maxSlashes ?? MAX_TOPIC_SLASHES
  const maxFiltersPerSubscribe = overrides.maxFiltersPerSubscribe ?? MAX_FILTERS_PER_SUBSCRIBE
  const maxClientIdBytes = overrides.maxClientIdBytes ?? MAX_CLIENT_ID_BYTES

  const checkSize = (topic: string, what: string): void => {
    const counted = countedPart(topic)
    const bytes = encoder.encode(counted).length
    if (bytes > maxTopicBytes)
      throw new LiveTopicError('LIMIT_EXCEEDED', `${what} "${topic}" is ${bytes} bytes; AWS IoT Core allows ${maxTopicBytes}`, { topic })
    const slashes = counted.split('/').length - 1
    if (slashes > maxSlashes)
      throw new LiveTopicError('LIMIT_EXCEEDED', `${what} "${topic}" has ${slashes} slashes; AWS IoT Core allows ${maxSlashes}`, { topic })
  }

  return {
    name: 'aws-iot',
    maxFiltersPerSubscribe,
    maxQos: 1,
    // IoT Core: `a/#` does not match `a` (the MQTT spec says it does)
    hashMatchesParent: false,
    // IoT refuses (CONNACK 3) a client id's second CONNECT within a second: pace them instead
    minConnectInterval: 1000 / MAX_CONNECTS_PER_SECOND_PER_CLIENT_ID,
    checkClientId(clientId) {
      const bytes = encoder.encode(clientId).length
      if (bytes > maxClientIdBytes) throw new LiveTopicError('LIMIT_EXCEEDED', `client id is ${bytes} bytes; AWS IoT Core allows ${maxClientIdBytes}`)
    },
    checkFilter(filter) {
      checkSize(filter, 'filter')
      if (filter.startsWith('$') && !isSubscribableReservedFilter(filter))
        throw new LiveTopicError('INVALID_TOPIC', `"${filter}" is a reserved topic AWS IoT Core does not let clients subscribe to`, { topic: filter })
    },
    checkPublish(topic, payloadBytes, options: { qos: QoS; retain: boolean }) {
      if (options.qos > 1) throw new LiveTopicError('LIMIT_EXCEEDED', `AWS IoT Core supports QoS 0 and 1, not ${options.qos}`, { topic })
      checkSize(topic, 'topic')
      if (topic.startsWith('$') && !isPublishableReservedTopic(topic))
        throw new LiveTopicError('INVALID_TOPIC', `"${topic}" is a reserved topic AWS IoT Core does not let clients publish to`, { topic })
      if (payloadBytes > maxPayloadBytes)
        throw new LiveTopicError('PAYLOAD_TOO_LARGE', `payload of ${payloadBytes} bytes exceeds AWS IoT Core's ${maxPayloadBytes}-byte limit`, { topic })
    },
  }
}

/**
 * AWS IoT Core's default limits: QoS ≤ 1, 8 filters per SUBSCRIBE, 128 KB payloads, 256-byte topics
 * with ≤ 7 slashes, 128-byte client ids, and CONNECTs of one client id at least 1 s apart.
 */
export const awsIotProfile: Profile = /* @__PURE__ */ createAwsIotProfile()
