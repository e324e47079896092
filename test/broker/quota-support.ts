import { startBroker, type RunningBroker } from '@livetopic/broker'
import { afterEach } from 'vitest'

const running = new Set<RunningBroker>()
afterEach(async () => {
  await Promise.all([...running].map((b) => b.close()))
  running.clear()
})

/** A broker with every quota at IoT's default (test/helpers/broker.ts lifts three for the client tests). */
export async function useDefaultBroker(): Promise<RunningBroker> {
  const broker = await startBroker({ logger: 'silent' })
  running.add(broker)
  return broker
}
