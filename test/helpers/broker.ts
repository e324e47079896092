import { startBroker, type BrokerOptions, type RunningBroker } from '@livetopic/broker'
import { afterEach } from 'vitest'

const running = new Set<RunningBroker>()

/**
 * IoT quotas the client tests go past on purpose: they reconnect with one client id within a second
 * (takeovers, restarts, forbidden closes), churn through thousands of filters and publish bursts of
 * hundreds of messages from one connection. IoT's figures are
 * the broker's defaults and are tested in test/broker/quotas-*.test.ts; a test sets `quotas` to get them here.
 */
const CLIENT_TEST_QUOTAS = { connectsPerSecondPerClientId: Infinity, subscriptionsPerConnection: Infinity, publishesPerSecondPerConnection: Infinity }

/** Starts an in-process broker on a free 127.0.0.1 port, closed after each test. */
export async function useBroker(options: BrokerOptions = {}): Promise<RunningBroker> {
  const broker = await startBroker({ ...options, quotas: { ...CLIENT_TEST_QUOTAS, ...options.quotas } })
  running.add(broker)
  return broker
}

afterEach(async () => {
  await Promise.all([...running].map((b) => b.close()))
  running.clear()
})

/** Counts SUBSCRIBE and UNSUBSCRIBE packets as the broker sees them. */
export function countPackets(broker: RunningBroker): { subscribes: string[][]; unsubscribes: string[][] } {
  const seen = { subscribes: [] as string[][], unsubscribes: [] as string[][] }
  broker.aedes.on('subscribe', (subs) => seen.subscribes.push(subs.map((s) => s.topic)))
  broker.aedes.on('unsubscribe', (topics) => seen.unsubscribes.push([...topics]))
  return seen
}
