import { validateChat } from '../chat-rule.js'
import { topics } from '../config.js'
import { iotDataClient, publishJson } from './iot-data.js'

/** What the chat rule selects: the input's fields and the verified client id of its publisher. */
interface ChatEvent {
  name?: unknown
  text?: unknown
  /** `clientid()`: the connection's client id, which the authorizer's policy bound to the user. */
  clientId?: unknown
}

const iot = iotDataClient()

/**
 * The chat rule's Lambda (`SELECT name, text, clientid() AS clientId FROM 'client/+' WHERE
 * topic(2) = clientid()`): validates the input and republishes it on the room, the author being the
 * verified client id, never a name or id the payload claims.
 */
export async function handler(event: ChatEvent): Promise<void> {
  if (typeof event.clientId !== 'string' || event.clientId === '') return
  const message = validateChat({ name: event.name, text: event.text }, event.clientId, Date.now())
  if (message) await publishJson(iot, topics.room, message)
}
