import { createClient, type LiveTopicClient, type Seed } from '@livetopic/core'
import { awsIotProfile, iotCustomAuthorizer } from '@livetopic/core/aws'
import { shareAcrossTabs } from '@livetopic/core/tabs'
import type { SignedInUser, TokenProvider } from './auth-session.js'
import { brokerTarget } from './broker-target.js'
import type { Announcement, ChatMessage, Roster, TelemetrySample } from './config.js'

/** Payload types of the app's topics (typed stores in every adapter). */
export type AppTopics = {
  'rooms/lobby/messages': ChatMessage
  announcements: Announcement
  'presence/roster': Roster
  'telemetry/cpu': TelemetrySample
}

/** One signed-in tab: its client (one WebSocket per browser, shared by its tabs) and who it is. */
export interface Session {
  client: LiveTopicClient<AppTopics>
  name: string
  clientId: string
}

/**
 * Connects as the signed-in `user` through IoT's custom-authorizer URL, exactly as against AWS IoT
 * Core: the deployed endpoint when the page has a `config.json` (examples/aws), otherwise the local
 * broker's `ws://127.0.0.1:<port>/mqtt`. `token` is asked on every connect attempt, so a reconnect
 * (after the authorizer's `disconnectAfterInSeconds`, say) presents a fresh one.
 * Every tab of the browser has the same client id (`<userId>_<device>`) and shares one connection
 * through `shareAcrossTabs` (channel = that id): a second tab neither takes over the client id nor
 * costs a second connection.
 * `seed`: what a server render read (`readAppSeed`), so the stores start from it, as the HTML did.
 * MQTT 5 (AWS IoT Core speaks it over WSS with custom auth, as the stand-in does): a topic the policy
 * forbids gets a SUBACK 0x87, so only that topic's store shows NOT_AUTHORIZED while the connection and
 * the other topics stay up (under 3.1.1 IoT hangs up, and the client must infer which topic it was).
 * `awsIotProfile` checks IoT's limits before sending and paces reconnects to its 1 CONNECT/s per client id.
 */
export function join(user: SignedInUser, token: TokenProvider, brokerUrl: string, seed?: Seed<AppTopics>): Session {
  const { clientId, name } = user
  let renew = false
  const client = createClient<AppTopics>(
    {
      url: async () => {
        const target = await brokerTarget(brokerUrl)
        const options = { renew }
        renew = false
        return iotCustomAuthorizer({ ...target, token: () => token(options) })()
      },
      clientId,
      protocolVersion: 5,
      profile: awsIotProfile,
      // a local demo: come back within seconds when the broker restarts
      reconnect: { initialDelay: 250, maxDelay: 3000 },
      ...(seed ? { seed } : {}),
    },
    shareAcrossTabs({ channel: clientId }),
  )
  // A refused login stops the client (`failed`). When the token was refused (the dev provider came
  // back with new keys, the user was revoked) it gets one more attempt with a renewed token;
  // refused again, it stays failed and the badge says why.
  let retried = false
  client.status.listen(({ status, error }) => {
    if (status === 'connected') retried = false
    if (status !== 'failed' || error?.code !== 'NOT_AUTHORIZED' || retried) return
    retried = renew = true
    client.reconnect()
  })
  return { client, name, clientId }
}

/** Client id of a {@link previewSession}: not a user's (no `_`), so never mistaken for one. */
const PREVIEW_CLIENT_ID = 'preview'

/**
 * What a server render shows and the browser hydrates with, before the browser knows who signed
 * in (that lives in its localStorage, which the server cannot read): the seed, and no socket (its
 * URL never comes). The page swaps it for {@link join}'s session once signed in.
 */
export function previewSession(name: string, seed: Seed<AppTopics>): Session {
  const client = createClient<AppTopics>({ url: () => new Promise<string>(() => {}), clientId: PREVIEW_CLIENT_ID, seed })
  return { client, name, clientId: PREVIEW_CLIENT_ID }
}
