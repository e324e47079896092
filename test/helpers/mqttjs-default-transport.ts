// Stands in for packages/core/src/default-transport.ts when LIVETOPIC_TRANSPORT=mqttjs
// (vitest.config.ts): every suite then runs unchanged on MQTT.js.
import type { TransportFactory } from '../../packages/core/src/transport.js'
import { mqttTransport } from '../../packages/core/src/mqtt/index.js'

export const defaultTransport = (): TransportFactory => mqttTransport
