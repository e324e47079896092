import { startBroker, type Denial, type RunningBroker } from '@livetopic/broker'
import type { Client } from 'aedes'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { TokenOptions } from '../../examples/shared/auth-session.js'
import { join, type Session } from '../../examples/shared/session.js'
import { waitFor } from '../helpers/wait.js'

// The examples' join(): a token the authorizer refuses (the dev provider restarted with new keys, a
// revoked user) is renewed once, with no sign-in again; refused again, the client stays failed.

const accepted = new Set(['token-1'])
let broker: RunningBroker
let session: Session | undefined
const throttled: Denial[] = []

beforeAll(async () => {
  broker = await startBroker({
    logger: 'silent',
    // IoT's 1 CONNECT/s per client id is on (the default): the session's awsIotProfile paces its
    // reconnects, reconnect() after a refused token included
    authorizer: ({ token }) => ({
      isAuthenticated: accepted.has(token ?? ''),
      principalId: 'ada',
      disconnectAfterInSeconds: 3600,
      refreshAfterInSeconds: 3600,
      policyDocuments: [{ Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }] }],
    }),
  })
  broker.events.on('denied', (denial) => {
    if (denial.resource === 'client id') throttled.push(denial)
  })
})

afterAll(async () => {
  await session?.client.close()
  await broker?.close()
})

// the server ends the connection (as a restart would); aedes keeps its clients untyped
const drop = (clientId: string): void => (broker.aedes as unknown as { clients: Record<string, Client | undefined> }).clients[clientId]?.close()

it('renews a refused token once, then stays failed when the renewed one is refused too', async () => {
  const asked: TokenOptions[] = []
  let issued = 1
  const token = (options: TokenOptions = {}) => {
    asked.push(options)
    if (options.renew) issued++
    return Promise.resolve(`token-${issued}`)
  }
  session = join({ name: 'Ada', userId: 'dev-0123456789abcdef', clientId: 'dev-0123456789abcdef_dev1' }, token, broker.url)
  session.client.connect()
  await waitFor(session.client.status, (s) => s.status === 'connected')
  expect(asked).toEqual([{ renew: false }])

  // the provider's keys changed: the stored token is refused, the renewed one accepted
  accepted.clear()
  accepted.add('token-2')
  drop(session.clientId)
  await waitFor(session.client.status, (s) => s.status === 'reconnecting')
  await waitFor(session.client.status, (s) => s.status === 'connected')
  expect(asked).toEqual([{ renew: false }, { renew: false }, { renew: true }])

  // refused whatever it presents: one renewal, then failed with the reason, no loop
  accepted.clear()
  drop(session.clientId)
  const failed = await waitFor(session.client.status, (s) => s.status === 'failed' && asked.length >= 5)
  expect(failed.error?.code).toBe('NOT_AUTHORIZED')
  await new Promise((resolve) => setTimeout(resolve, 500))
  expect(asked).toEqual([{ renew: false }, { renew: false }, { renew: true }, { renew: false }, { renew: true }])
  expect(session.client.status.get().status).toBe('failed')
  // five CONNECTs of one client id within seconds, none refused by the quota
  expect(throttled).toEqual([])
})
