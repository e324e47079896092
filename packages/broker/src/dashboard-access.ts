import { randomBytes } from 'node:crypto'
import type { Authorizer } from './authorizer-types.js'

/** Username the dashboard page connects with. */
export const DASHBOARD_USERNAME = '$dashboard'

/**
 * Wraps the user's authorizer so the broker's own dashboard (and only it: the key is random per
 * start-up) may subscribe and publish everywhere, as the AWS console's test client may.
 */
export function withDashboardAccess(authorizer: Authorizer): { authorizer: Authorizer; password: string } {
  const password = randomBytes(24).toString('base64url')
  return {
    password,
    authorizer: (event) => {
      const mqtt = event.protocolData.mqtt
      const given = mqtt?.password === undefined ? undefined : Buffer.from(mqtt.password, 'base64').toString('utf8')
      if (mqtt?.username !== DASHBOARD_USERNAME || given !== password) return authorizer(event)
      return {
        isAuthenticated: true,
        principalId: 'dashboard',
        disconnectAfterInSeconds: 86400,
        refreshAfterInSeconds: 86400,
        policyDocuments: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }] }],
      }
    },
  }
}
