import type { LiveTopicClient } from '@livetopic/core'
import { useLiveTopicClient } from './plugin.js'

/** `publish(topic, payload, options?)`; resolves on PUBACK (QoS 1) or once written (QoS 0). */
export function usePublish(): LiveTopicClient['publish'] {
  return useLiveTopicClient().publish
}
