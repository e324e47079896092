export { startBroker } from './start-broker.js'
export type { BrokerOptions, RunningBroker } from './start-broker.js'
