import { topics } from '../config.js'
import { isStateAnnouncement, publishLatest, RosterStore } from '../roster.js'
import { iotDataClient, publishJson } from './iot-data.js'

/**
 * The presence_state rule's Lambda (`SELECT state, at, clientid() AS clientId FROM
 * 'presence/state/+'`): records a member's state in the presence table and publishes the roster,
 * which carries it to members who join later (live members got the announcement itself).
 */
const store = new RosterStore()
const iot = iotDataClient()

export async function handler(event: unknown): Promise<void> {
  if (!isStateAnnouncement(event)) return
  const version = await store.applyState(event)
  if (version === 0) return // stale, repeated or too large: the roster did not change
  await publishLatest(store, version, (roster) => publishJson(iot, topics.roster, roster, { retain: true }))
}
