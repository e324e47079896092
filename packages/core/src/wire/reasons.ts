import { LiveTopicError } from '../errors.js'

// CONNACK codes that mean "who you are is not accepted": 3.1.1's 4/5 and MQTT 5's equivalents
const AUTH_CODES = new Set([4, 5, 0x86, 0x87, 0x8a, 0x8c])
const hex = (code: number): string => `0x${code.toString(16).padStart(2, '0')}`

/** A refused CONNACK, as MQTT.js's transport reports it. */
export const connackError = (code: number): LiveTopicError =>
  new LiveTopicError(AUTH_CODES.has(code) ? 'NOT_AUTHORIZED' : 'CONNECTION_FAILED', `the broker refused the connection (code ${hex(code)})`, {
    reasonCode: code,
  })

/** A DISCONNECT from the broker (MQTT 5): takeover, not authorized, or another reason. */
export function disconnectError(code: number): LiveTopicError {
  if (code === 0x8e) return new LiveTopicError('CLIENT_ID_CONFLICT', 'another connection took over this client id', { reasonCode: code })
  if (code === 0x87) return new LiveTopicError('NOT_AUTHORIZED', 'the broker disconnected this client: not authorized', { reasonCode: code })
  return code === 0
    ? new LiveTopicError('CONNECTION_LOST', 'the broker closed the connection')
    : new LiveTopicError('CONNECTION_LOST', `the broker disconnected this client (reason ${hex(code)})`, { reasonCode: code })
}

/** A PUBACK with a failure reason (MQTT 5): final for that publish. */
export const pubackError = (topic: string, code: number): LiveTopicError =>
  code === 0x87
    ? new LiveTopicError('NOT_AUTHORIZED', `publish to "${topic}" was not authorized`, { topic, reasonCode: code })
    : new LiveTopicError('CONNECTION_LOST', `publish to "${topic}" failed (reason ${hex(code)})`, { topic, reasonCode: code })

/** A refused WebSocket upgrade, where the runtime tells the HTTP status (Node's `ws` does, browsers do not). */
export function upgradeError(message: string): LiveTopicError | undefined {
  const status = /Unexpected server response: (\d{3})/.exec(message)?.[1]
  if (!status) return undefined
  const code = Number(status)
  return new LiveTopicError(code === 401 || code === 403 ? 'NOT_AUTHORIZED' : 'CONNECTION_FAILED', `the broker refused the WebSocket upgrade (HTTP ${code})`, {
    reasonCode: code,
  })
}
