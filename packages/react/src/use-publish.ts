import type { LiveTopicClient } from '@livetopic/core'
import { useLiveTopicClient } from './context.js'

/** A stable `publish(topic, payload, options?)`; resolves on PUBACK (QoS 1) or once written (QoS 0). */
export function usePublish(): LiveTopicClient['publish'] {
  // the client's publish is created once per client and needs no `this`: stable as it is
  return useLiveTopicClient().publish
}
