import { startBroker, type BrokerOptions, type RunningBroker } from '@livetopic/broker'
import type { IotAuthorizerHandler } from '@livetopic/core/aws/authorizer'
import { createAuthorizer } from './authorizer.js'
import { rules } from './rules.js'

/**
 * The local AWS IoT Core stand-in with this app's authorizer and rules, on 127.0.0.1. Its development
 * identity provider (`POST <httpUrl>/dev-auth/token`) signs real JWTs, which the authorizer verifies
 * as it verifies your issuer's on AWS: the same code path. `port` 0 picks a free one (tests).
 */
export async function startAppBroker(port: number, extra: Partial<BrokerOptions> = {}): Promise<RunningBroker> {
  // the issuer's URL names the bound port: until it is known, nobody is admitted
  const late: { authorizer?: IotAuthorizerHandler } = {}
  const broker = await startBroker({
    port,
    host: '127.0.0.1',
    devIdentity: true,
    rules,
    authorizer: (event) => (late.authorizer ? late.authorizer(event) : { isAuthenticated: false, principalId: 'starting', policyDocuments: [] }),
    ...extra,
  })
  const { issuer, audience } = broker.devIdentity!
  late.authorizer = createAuthorizer({ issuer, audience })
  return broker
}
