import { LiveTopicError } from './errors.js'

const encoder = /* @__PURE__ */ new TextEncoder()
const MAX_TOPIC_BYTES = 65535

function checkCommon(topic: string, what: string): void {
  if (typeof topic !== 'string' || topic.length === 0) throw new LiveTopicError('INVALID_TOPIC', `${what} must be a non-empty string`, { topic: String(topic) })
  if (topic.includes('\u0000')) throw new LiveTopicError('INVALID_TOPIC', `${what} "${topic}" contains a NUL character`, { topic })
  if (encoder.encode(topic).length > MAX_TOPIC_BYTES) throw new LiveTopicError('INVALID_TOPIC', `${what} is longer than ${MAX_TOPIC_BYTES} bytes`, { topic })
}

/** Throws INVALID_TOPIC unless `topic` is a valid MQTT topic name (no wildcards). */
export function assertTopicName(topic: string): void {
  checkCommon(topic, 'topic')
  if (/[+#]/.test(topic)) throw new LiveTopicError('INVALID_TOPIC', `topic "${topic}" contains a wildcard; publish needs a topic name, not a filter`, { topic })
}

/** Throws INVALID_TOPIC unless `filter` is a valid MQTT topic filter (`+` a whole level, `#` last). */
export function assertTopicFilter(filter: string): void {
  checkCommon(filter, 'filter')
  const levels = filter.split('/')
  levels.forEach((level, i) => {
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1))
      throw new LiveTopicError('INVALID_TOPIC', `filter "${filter}": "#" must be a whole level and the last one`, { topic: filter })
    if (level.includes('+') && level !== '+') throw new LiveTopicError('INVALID_TOPIC', `filter "${filter}": "+" must be a whole level`, { topic: filter })
  })
}

/** A filter with named wildcards resolved: `rooms/+room/#rest` → `rooms/+/#` with names by level. */
export interface ParsedFilter {
  /** The filter as sent to the broker. */
  readonly mqtt: string
  /** Parameter names by level index (only for named wildcards). */
  readonly names: ReadonlyMap<number, string>
}

const NAME = /^[A-Za-z_][\w-]*$/

/** Parses named wildcards (`+room`, `#rest`) and validates the resulting MQTT filter. */
export function parseFilter(filter: string): ParsedFilter {
  checkCommon(filter, 'filter')
  const names = new Map<number, string>()
  const mqtt = filter
    .split('/')
    .map((level, i) => {
      const wildcard = level[0]
      if ((wildcard === '+' || wildcard === '#') && level.length > 1) {
        const name = level.slice(1)
        if (!NAME.test(name))
          throw new LiveTopicError('INVALID_TOPIC', `filter "${filter}": wildcard name "${name}" must be letters, digits, _ or -`, { topic: filter })
        names.set(i, name)
        return wildcard
      }
      return level
    })
    .join('/')
  assertTopicFilter(mqtt)
  // without named wildcards: the given string and one shared empty map (a store per topic keeps these)
  return names.size ? { mqtt, names } : { mqtt: filter, names: NO_NAMES }
}

const NO_NAMES: ReadonlyMap<number, string> = new Map()

// shared by every message of a filter without named wildcards: one allocation less per message
const NO_PARAMS: Record<string, string> = Object.freeze({})

/** Values of named wildcards for a topic that matches the parsed filter (`#` takes the rest of the topic). */
export function extractParams(parsed: ParsedFilter, topic: string): Record<string, string> {
  if (parsed.names.size === 0) return NO_PARAMS
  const params: Record<string, string> = {}
  const levels = topic.split('/')
  const hashIndex = parsed.mqtt.endsWith('#') ? parsed.mqtt.split('/').length - 1 : -1
  for (const [index, name] of parsed.names) {
    params[name] = index === hashIndex ? levels.slice(index).join('/') : (levels[index] ?? '')
  }
  return params
}
