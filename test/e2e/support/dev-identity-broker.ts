import { createHash, randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { startBroker, type Authorizer, type BrokerOptions, type HttpRoute, type RunningBroker } from '@livetopic/broker'
import { exampleAuthorizer } from '../../../examples/shared/authorizer.js'
import { exampleBrokerOptions } from '../../../examples/shared/broker-setup.js'

/**
 * The examples' broker with the development identity provider (`startBroker({ devIdentity: true })`:
 * `POST /dev-auth/token`, real JWTs, the JWT-verifying example authorizer).
 *
 * THROWAWAY SHIM, to delete once the identity branch is merged: when the stand-in does not have
 * the provider yet (its route answers 404), the broker is started instead with a test-only route of
 * the same contract (`{ name }` → `{ idToken, expiresAt, sub }`, sub = `dev-<16 hex>` per
 * lower-cased name) handing out opaque tokens, and a test-only authorizer with the same rule:
 * connect only as `<userId>_*`, publish only on `client/${iot:ClientId}`.
 */
export async function startDevIdentityBroker(port = 0): Promise<RunningBroker> {
  const real = await startBroker(exampleBrokerOptions(port, { logger: 'silent', devIdentity: true } as Partial<BrokerOptions>))
  const probe = await fetch(`${real.httpUrl}/dev-auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'probe' }),
  })
  if (probe.status !== 404) return real
  await real.close()
  return startBroker(exampleBrokerOptions(port, { logger: 'silent', routes: shimRoutes(issued), authorizer: shimAuthorizer(issued) }))
}

// tokens outlive a broker restart, as the real provider's signed JWTs do
const issued = new Map<string, { sub: string; expiresAt: number }>()
const arn = (resource: string): string => `arn:aws:iot:*:*:${resource}`
const READABLE = ['rooms/lobby/messages', 'announcements', 'presence/roster', 'telemetry/*', '$aws/events/presence/*']

function shimAuthorizer(issued: Map<string, { sub: string; expiresAt: number }>): Authorizer {
  return (event) => {
    const session = issued.get(event.token ?? '')
    // anything else (the telemetry device's token) is the example authorizer's to judge
    if (!session || session.expiresAt < Date.now()) return exampleAuthorizer(event)
    return Promise.resolve({
      isAuthenticated: true,
      principalId: session.sub.replace(/-/g, ''),
      disconnectAfterInSeconds: 3600,
      refreshAfterInSeconds: 3600,
      policyDocuments: [
        {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'iot:Connect', Resource: arn(`client/${session.sub}_*`) },
            { Effect: 'Allow', Action: 'iot:Subscribe', Resource: READABLE.map((t) => arn(`topicfilter/${t}`)) },
            { Effect: 'Allow', Action: 'iot:Receive', Resource: READABLE.map((t) => arn(`topic/${t}`)) },
            { Effect: 'Allow', Action: 'iot:Publish', Resource: arn('topic/client/${iot:ClientId}') },
            { Effect: 'Deny', Action: 'iot:Receive', Resource: arn('topic/$aws/events/presence/*/telemetry-*') },
          ],
        },
      ],
    })
  }
}

function shimRoutes(issued: Map<string, { sub: string; expiresAt: number }>): HttpRoute[] {
  const cors = (req: IncomingMessage) => ({
    'access-control-allow-origin': req.headers.origin ?? '*',
    'access-control-allow-headers': 'content-type',
    'access-control-allow-methods': 'POST',
  })
  return [
    {
      // the page's JSON POST is preceded by a CORS preflight (the router matches any method at run time)
      method: 'OPTIONS' as HttpRoute['method'],
      path: /^\/dev-auth\/token$/,
      public: true,
      handle: (req, res) => void res.writeHead(204, cors(req)).end(),
    },
    {
      method: 'POST',
      path: /^\/dev-auth\/token$/,
      public: true,
      async handle(req, res) {
        let body = ''
        for await (const chunk of req) body += String(chunk)
        const { name } = JSON.parse(body) as { name: string }
        const sub = `dev-${createHash('sha256').update(name.toLowerCase()).digest('hex').slice(0, 16)}`
        const idToken = randomBytes(24).toString('hex')
        const expiresAt = Date.now() + 3_600_000
        issued.set(idToken, { sub, expiresAt })
        res.writeHead(200, { 'content-type': 'application/json', ...cors(req) }).end(JSON.stringify({ idToken, expiresAt, sub }))
      },
    },
  ]
}
