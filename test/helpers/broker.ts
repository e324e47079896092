import { startBroker, type BrokerOptions, type RunningBroker } from '@livetopic/broker'
import { afterEach } from 'vitest'

const running = new Set<RunningBroker>()

/** Starts an in-process broker on a free 127.0.0.1 port, closed after each test. */
export async function useBroker(options: BrokerOptions = {}): Promise<RunningBroker> {
  const broker = await startBroker(options)
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
