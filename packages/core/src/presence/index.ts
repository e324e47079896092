/**
 * Who is here, each with a state of their own, on any MQTT broker or on AWS IoT Core.
 * @module @livetopic/core/presence
 */
// @livetopic/core/presence: who is here, each with a state of their own, on any broker. Nothing
// here opens a socket on import; the strategies say how presence reaches the broker.
export { idlePresence, presenceRoom } from './room.js'
export type { PresenceRoom, PresenceRoomOptions } from './room.js'
export { retainedPresence } from './retained.js'
export type { RetainedPresenceOptions, RetainedPresenceStrategy } from './retained.js'
export { iotPresence } from './iot.js'
export type { IotPresenceOptions } from './iot.js'
export { DEFAULT_MAX_STATE_BYTES, MAX_STATE_BYTES } from './member-state.js'
export type { PresenceConnection, PresenceFeed, PresenceMember, PresenceStrategy, PresenceView } from './types.js'
