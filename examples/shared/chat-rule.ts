import { MAX_TEXT, type ChatMessage } from './config.js'

/**
 * The rule between a client's input topic and the room: what IoT's rules engine would do with a
 * `SELECT ... FROM 'client/+' WHERE ...` and a republish action, plus validation a Lambda action
 * would add. Returns the message to broadcast, or undefined to drop the input.
 */
export function validateChat(input: unknown, clientId: string, now: number): ChatMessage | undefined {
  if (input === null || typeof input !== 'object') return undefined
  const { name, text } = input as Record<string, unknown>
  if (typeof text !== 'string' || typeof name !== 'string') return undefined
  const clean = text.trim()
  if (clean === '' || clean.length > MAX_TEXT) return undefined
  return {
    id: `${clientId}-${now}-${Math.random().toString(36).slice(2, 8)}`,
    // the author is the connection's client id, never what the payload claims
    clientId,
    name: name.trim().slice(0, 40) || clientId,
    text: clean,
    at: now,
  }
}
