// `@livetopic/core/mqtt`: MQTT.js as the transport. Only bundles that import this subpath carry MQTT.js.
export { mqttTransport } from './mqtt-transport.js'
