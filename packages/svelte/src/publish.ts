import type { LiveTopicClient } from '@livetopic/core'
import { getLiveTopicClient } from './context.js'

/** `publish(topic, payload, options?)` of the client in context (call during component set-up). */
export function publish(): LiveTopicClient['publish'] {
  return getLiveTopicClient().publish
}
