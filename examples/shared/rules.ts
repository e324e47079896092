import { fileURLToPath } from 'node:url'
import type { TopicRule } from '@livetopic/broker'
import { topics } from './config.js'

const handlerFile = (name: string): string => fileURLToPath(new URL(`./lambda/${name}.ts`, import.meta.url))

/** Environment variable naming the presence table (set by the CDK stack on AWS, by the local set-up here). */
export const PRESENCE_TABLE_ENV = 'LIVETOPIC_PRESENCE_TABLE'

/**
 * The example's topic rules: two Lambda actions, run by the stand-in as Lambda runs them (a fresh
 * instance per invocation) and deployed as they are by the CDK stack.
 * - chat: `client/<id>` → validated → the room topic (browsers cannot publish there); the author
 *   is `clientid()`, the verified connection, and the WHERE keeps anyone from writing as another id.
 * - presence: lifecycle events → the roster in DynamoDB → a retained `presence/roster`, so a tab
 *   that opens later knows who is already here (lifecycle events only tell what changes after
 *   subscribing).
 * - presence_state: `presence/state/<clientId>` (a member's state) → the same table → the roster.
 * `presenceEnvironment` is the presence function's environment: the table name and, locally, the
 * DynamoDB endpoint (`AWS_ENDPOINT_URL_DYNAMODB`).
 */
export function exampleRules(presenceEnvironment: Record<string, string> = {}): TopicRule[] {
  return [
    {
      name: 'chat',
      sql: "SELECT name, text, clientid() AS clientId FROM 'client/+' WHERE topic(2) = clientid()",
      lambda: { entry: handlerFile('chat'), publishes: [topics.room] },
    },
    {
      name: 'presence',
      sql: "SELECT * FROM '$aws/events/presence/+/+'",
      lambda: { entry: handlerFile('presence'), retains: [topics.roster], environment: presenceEnvironment },
    },
    {
      // presence state (iotPresence): recorded in the same table, so the roster carries it to late joiners
      name: 'presence_state',
      sql: `SELECT state, at, clientid() AS clientId FROM '${topics.presenceStates}/+' WHERE topic(3) = clientid()`,
      lambda: { entry: handlerFile('presence-state'), retains: [topics.roster], environment: presenceEnvironment },
    },
  ]
}
