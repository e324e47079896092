/**
 * `mqttTransport`: MQTT.js instead of the built-in transport.
 * @module @livetopic/core/mqtt
 */
// `@livetopic/core/mqtt`: MQTT.js as the transport. Only bundles that import this subpath carry MQTT.js.
export { mqttTransport } from './mqtt-transport.js'
