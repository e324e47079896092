import { isReservedTopic, topicLimitError } from '../iot-limits.js'

/** An HTTP publish's topic refused as MQTT would refuse it: status, IoT error type, message. */
export interface TopicRefusal {
  status: 400 | 403
  type: 'InvalidRequestException' | 'ForbiddenException'
  message: string
}

/**
 * Checks a Data Plane publish topic by the rules an MQTT PUBLISH meets in the stand-in: not empty,
 * no U+0000 (MQTT 3.1.1 §1.5.3; strict subscribers drop a connection that delivers one), no `+`/`#`
 * (a topic name, not a filter), IoT's 256-byte and 7-slash limits, and no reserved `$` topic.
 * Invalid UTF-8 never gets here: the router refuses a path that does not percent-decode.
 */
export function publishTopicRefusal(topic: string): TopicRefusal | undefined {
  const invalid = (message: string): TopicRefusal => ({ status: 400, type: 'InvalidRequestException', message })
  if (topic === '') return invalid('topic must not be empty')
  if (topic.includes('\u0000')) return invalid('topic must not contain U+0000')
  if (/[+#]/.test(topic)) return invalid('topic must be a topic name, not a filter')
  const limit = topicLimitError(topic)
  if (limit) return invalid(`topic ${limit}`)
  if (isReservedTopic(topic)) return { status: 403, type: 'ForbiddenException', message: 'reserved topic' }
  return undefined
}
