import { createClient, type LiveTopicClient, type Seed } from '@livetopic/core'
import { iotCustomAuthorizer } from '@livetopic/core/aws'
import { shareAcrossTabs } from '@livetopic/core/tabs'
import { brokerTarget } from './broker-target.js'
import type { Announcement, ChatMessage, Roster, TelemetrySample } from './config.js'
import { fetchDevToken } from './dev-token.js'
import { clientIdFor } from './names.js'

/** Payload types of the app's topics (typed stores in every adapter). */
export type AppTopics = {
  'rooms/lobby/messages': ChatMessage
  announcements: Announcement
  'presence/roster': Roster
  'telemetry/cpu': TelemetrySample
}

/** One signed-in tab: its client (one WebSocket) and who it is. */
export interface Session {
  client: LiveTopicClient<AppTopics>
  name: string
  clientId: string
}

/**
 * Connects as `name` through IoT's custom-authorizer URL, exactly as against AWS IoT Core: the
 * deployed endpoint when the page has a `config.json` (examples/aws), otherwise the local broker's
 * `ws://127.0.0.1:<port>/mqtt`. The token is fetched on every connect attempt (a real app would
 * return its fresh session token).
 * The tabs of one user share one connection (`shareAcrossTabs`, channel = their client id): a
 * second tab neither takes over the client id nor costs a second connection.
 * `seed`: what a server render read (`readAppSeed`), so the stores start from it, as the HTML did.
 * `clientId`: the one the server rendered with, when it made one.
 */
export function join(name: string, brokerUrl: string, seed?: Seed<AppTopics>, clientId = clientIdFor(name)): Session {
  const client = createClient<AppTopics>(
    {
      url: async () => {
        const target = await brokerTarget(brokerUrl)
        // placeholder until the sign-in UI: a development token for `name` from the local broker
        const httpUrl = brokerUrl.replace(/^ws/, 'http').replace(/\/mqtt$/, '')
        return iotCustomAuthorizer({ ...target, token: async () => (await fetchDevToken(httpUrl, name)).idToken })()
      },
      clientId,
      // a local demo: come back within seconds when the broker restarts
      reconnect: { initialDelay: 250, maxDelay: 3000 },
      ...(seed ? { seed } : {}),
    },
    shareAcrossTabs({ channel: clientId }),
  )
  return { client, name: name.trim(), clientId }
}
