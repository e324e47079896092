import { startBroker, type BrokerOptions, type RunningBroker } from '@livetopic/broker'
import { exampleAuthorizer } from './authorizer.js'
import { startLocalPresenceStore } from './presence-store.js'
import { exampleRules } from './rules.js'

/**
 * Broker options of the example (dev server and e2e tests): 127.0.0.1, the authorizer, the rules.
 * `presenceEnvironment` is where the presence rule's Lambda finds its table ({@link startExampleBroker} sets it).
 */
export function exampleBrokerOptions(port: number, extra: Partial<BrokerOptions> = {}, presenceEnvironment: Record<string, string> = {}): BrokerOptions {
  return { port, host: '127.0.0.1', authorizer: exampleAuthorizer, rules: exampleRules(presenceEnvironment), ...extra }
}

/** Starts the example's broker with its presence table in a local DynamoDB (dynalite); `close()` stops both. */
export async function startExampleBroker(port: number, extra: Partial<BrokerOptions> = {}): Promise<RunningBroker> {
  const store = await startLocalPresenceStore()
  try {
    const broker = await startBroker(exampleBrokerOptions(port, extra, store.environment))
    return { ...broker, close: () => broker.close().finally(() => store.close()) }
  } catch (error) {
    await store.close()
    throw error
  }
}
