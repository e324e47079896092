import type { BrokerOptions } from '@livetopic/broker'
import { exampleAuthorizer } from './authorizer.js'
import { exampleRules } from './rules.js'

/** Broker options of the example (dev server and e2e tests): 127.0.0.1, the authorizer, the rules. */
export function exampleBrokerOptions(port: number, extra: Partial<BrokerOptions> = {}): BrokerOptions {
  return { port, host: '127.0.0.1', authorizer: exampleAuthorizer, rules: exampleRules(), ...extra }
}
