import { topics } from '../config.js'
import { isLifecycleEvent, publishLatest, RosterStore } from '../roster.js'
import { iotDataClient, publishJson } from './iot-data.js'

/**
 * The presence rule's Lambda (`SELECT * FROM '$aws/events/presence/+/+'`): the event is the
 * lifecycle event. The roster lives in DynamoDB, not here: module scope holds only clients, so
 * any number of instances, cold or warm, agree. See docs/presence.md.
 */
const store = new RosterStore()
const iot = iotDataClient()

export async function handler(event: unknown): Promise<void> {
  if (!isLifecycleEvent(event)) return // connect_failed, or not a lifecycle event at all
  const version = await store.apply(event)
  if (version === 0) return // stale or repeated: the roster did not change
  await publishLatest(store, version, (roster) => publishJson(iot, topics.roster, roster, { retain: true }))
}
