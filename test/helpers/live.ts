import { createClient, type ClientOptions, type LiveTopicClient } from '@livetopic/core'
import type { RunningBroker } from '@livetopic/broker'
import { afterEach } from 'vitest'
import { countPackets, useBroker } from './broker.js'

const clients = new Set<LiveTopicClient>()

/** A broker, a client on it (short unsubscribe delay) and its SUBSCRIBE/UNSUBSCRIBE log; all closed after the test. */
export async function useLive(options: Partial<ClientOptions> = {}): Promise<{
  broker: RunningBroker
  live: LiveTopicClient
  seen: ReturnType<typeof countPackets>
  connections: () => number
}> {
  const broker = await useBroker()
  const seen = countPackets(broker)
  let connections = 0
  broker.aedes.on('client', () => void connections++)
  const live = createClient({ url: broker.url, unsubscribeDelay: 50, ...options })
  clients.add(live)
  return { broker, live, seen, connections: () => connections }
}

afterEach(async () => {
  await Promise.all([...clients].map((c) => c.close()))
  clients.clear()
})
