import type { RuleDefinition } from '@livetopic/iot'

/**
 * The topic rules, run by the stand-in locally and deployed as IoT topic rules by infra/app.ts.
 * `chat`: a message a client publishes to its outbox `chat/<clientId>` goes to the room with the
 * sender added by the rule (`clientid()`: the policy let only that client publish there).
 */
export const rules: RuleDefinition[] = [{ name: 'chat', sql: "SELECT text, clientid() AS author FROM 'chat/+'", republish: 'rooms/lobby/messages' }]
