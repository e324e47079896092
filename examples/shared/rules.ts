import type { TopicRule } from '@livetopic/broker'
import { topics } from './config.js'
import { validateChat } from './chat-rule.js'
import { isLifecycleEvent, RosterState } from './roster.js'

/**
 * The example's topic rules, the local stand-in for IoT's rules engine. A fresh set per broker:
 * the roster rule keeps state.
 * - chat: `client/<id>` → validated → republished on the room topic (browsers cannot publish there).
 * - roster: lifecycle events → a retained `presence/roster`, so a tab that opens later knows who
 *   is already here (lifecycle events only tell what changes after subscribing).
 */
export function exampleRules(): TopicRule[] {
  const roster = new RosterState()
  return [
    {
      name: 'chat',
      // topic(2) is the author: the policy lets only that client publish on client/<its id>
      sql: "SELECT name, text, topic(2) AS clientId FROM 'client/+'",
      action: (selected, context) => {
        if (Buffer.isBuffer(selected)) return
        const message = validateChat(selected, String(selected.clientId), context.timestamp)
        return message && context.republish(topics.room, message, { qos: 1 })
      },
    },
    {
      name: 'roster',
      sql: "SELECT * FROM '$aws/events/presence/+/+'",
      action: (event, context) => {
        if (!isLifecycleEvent(event) || !roster.apply(event)) return
        return context.republish(topics.roster, roster.snapshot(context.timestamp), { qos: 1, retain: true })
      },
    },
  ]
}
