// The transport createClient uses when none is given. A module of its own so the test suites can
// swap it (vitest.config.ts, LIVETOPIC_TRANSPORT=mqttjs) and run unchanged against MQTT.js.
export { wsTransport as defaultTransport } from './ws-transport.js'
