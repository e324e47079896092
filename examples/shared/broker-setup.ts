import { startBroker, type BrokerOptions, type RunningBroker } from '@livetopic/broker'
import type { IotAuthorizerHandler } from '@livetopic/core/aws/authorizer'
import { createExampleAuthorizer } from './authorizer.js'
import { localDeviceToken } from './broker-env.js'
import { startLocalPresenceStore } from './presence-store.js'
import { exampleRules } from './rules.js'

// not exported: without the authorizer that startExampleBroker adds, every client could do everything
/**
 * Broker options of the example: 127.0.0.1, the development identity provider, the rules.
 * `presenceEnvironment` is where the presence rule's Lambda finds its table.
 */
function exampleBrokerOptions(port: number, extra: Partial<BrokerOptions>, presenceEnvironment: Record<string, string>): BrokerOptions {
  return { port, host: '127.0.0.1', devIdentity: true, rules: exampleRules(presenceEnvironment), ...extra }
}

/** Options of {@link startExampleBroker} beyond the broker's. */
export interface ExampleBrokerExtras {
  /** The device secret; default {@link localDeviceToken}. */
  deviceToken?: string
  /** Shortest session (tests, with the broker's `testing.allowShortDurations`); default IoT's 300 s. */
  minSessionSeconds?: number
}

/**
 * Starts the example's broker (dev server, scripts, e2e tests): its authorizer verifies the
 * broker's own development issuer (the same verification code as on AWS, against Cognito there),
 * and its presence table lives in a local DynamoDB (dynalite). `close()` stops both.
 */
export async function startExampleBroker(port: number, extra: Partial<BrokerOptions> = {}, extras: ExampleBrokerExtras = {}): Promise<RunningBroker> {
  const store = await startLocalPresenceStore()
  const late: { authorizer?: IotAuthorizerHandler } = {}
  let broker: RunningBroker
  try {
    broker = await startBroker({
      // the issuer's URL names the bound port: until it is known, nobody is admitted
      authorizer: (event) => (late.authorizer ? late.authorizer(event) : { isAuthenticated: false, principalId: 'starting', policyDocuments: [] }),
      ...exampleBrokerOptions(port, extra, store.environment),
    })
  } catch (error) {
    await store.close()
    throw error
  }
  const { issuer, audience } = broker.devIdentity!
  late.authorizer = createExampleAuthorizer({
    issuer,
    audience,
    tokenUse: 'id',
    deviceToken: extras.deviceToken ?? localDeviceToken(),
    ...(extras.minSessionSeconds !== undefined ? { minSessionSeconds: extras.minSessionSeconds } : {}),
  })
  return { ...broker, close: () => broker.close().finally(() => store.close()) }
}
