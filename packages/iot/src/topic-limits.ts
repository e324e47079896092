import { MAX_TOPIC_BYTES, MAX_TOPIC_SLASHES } from './quotas.js'

const encoder = /* @__PURE__ */ new TextEncoder()

/** Why a topic or filter breaks IoT's size limits, or undefined when it is fine. */
export function topicLimitError(topic: string): string | undefined {
  if (encoder.encode(topic).length > MAX_TOPIC_BYTES) return `longer than ${MAX_TOPIC_BYTES} bytes`
  if ((topic.match(/\//g)?.length ?? 0) > MAX_TOPIC_SLASHES) return `more than ${MAX_TOPIC_SLASHES} slashes`
  return undefined
}

/** `$`-prefixed topics are reserved: clients and the HTTP API may not publish there. */
export const isReservedTopic = (topic: string): boolean => topic.startsWith('$')

/** MQTT filter matching with IoT's twist: `a/#` does NOT match `a`. */
export function iotFilterMatches(filter: string, topic: string): boolean {
  const f = filter.split('/')
  const t = topic.split('/')
  // [MQTT-4.7.2-1]: wildcards at the first level do not match `$` topics
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return t.length > i
    if (i >= t.length) return false
    if (f[i] !== '+' && f[i] !== t[i]) return false
  }
  return f.length === t.length
}
