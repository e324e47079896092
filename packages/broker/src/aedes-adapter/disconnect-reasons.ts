import type { Client } from 'aedes'
import mqttPacket from 'mqtt-packet'
import type { DisconnectReason } from '../broker-events.js'

/** MQTT 5 reason codes of a DISCONNECT the server sends (MQTT 5 §3.14.2.1). */
export const REASON = {
  protocolError: 0x82,
  notAuthorized: 0x87,
  keepAliveTimeout: 0x8d,
  sessionTakenOver: 0x8e,
  topicAliasInvalid: 0x94,
  packetTooLarge: 0x95,
  quotaExceeded: 0x97,
  administrativeAction: 0x98,
  qosNotSupported: 0x9b,
} as const

/**
 * The DISCONNECT reason code an MQTT 5 client is sent when the stand-in closes its connection, by
 * the lifecycle `disconnectReason` IoT reports for it. IoT documents its lifecycle reasons, not the
 * MQTT 5 codes; these are the MQTT 5 codes for the same causes.
 */
export const DISCONNECT_CODES: Partial<Record<DisconnectReason, number>> = {
  DUPLICATE_CLIENTID: REASON.sessionTakenOver,
  MQTT_KEEP_ALIVE_TIMEOUT: REASON.keepAliveTimeout,
  THROTTLED: REASON.quotaExceeded,
  FORBIDDEN_ACCESS: REASON.notAuthorized,
  AUTH_ERROR: REASON.notAuthorized,
  CUSTOMAUTH_TTL_EXPIRATION: REASON.notAuthorized,
  SERVER_INITIATED_DISCONNECT: REASON.administrativeAction,
  CLIENT_ERROR: REASON.protocolError,
}

/**
 * Closes a connection the way IoT does: an MQTT 5 client first gets a DISCONNECT with `code`
 * (aedes 2's `client.disconnect`), an MQTT 3.1.1 one is just closed. `done` runs once it is closed.
 */
export function closeWithReason(client: Client, code: number, done: () => void = () => {}): void {
  if (client.version === 5) client.disconnect({ reasonCode: code }, done)
  else client.close(done)
}

/**
 * Writes a DISCONNECT to an MQTT 5 client right now, for closes aedes makes itself in the same turn
 * (keep-alive timeout): mqtt-packet corks the stream until the next tick, so it is uncorked here to
 * hand the bytes over before aedes destroys the stream.
 */
export function sendDisconnectNow(client: Client, code: number): void {
  if (client.version !== 5 || client.closed || client.conn.destroyed) return
  mqttPacket.writeToStream({ cmd: 'disconnect', reasonCode: code }, client.conn, { protocolVersion: 5 })
  client.conn.uncork?.()
}
