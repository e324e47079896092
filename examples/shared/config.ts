/** Names the three examples, the broker set-up and the scripts agree on. */

/** Port of the dev broker (WebSocket + HTTP). Fixed so `npm run announce` and `npm run telemetry` find it. */
export const DEFAULT_BROKER_PORT = 8080

/** Name of the custom authorizer, as it would be registered in AWS IoT Core. */
export const AUTHORIZER_NAME = 'ExampleAuthorizer'

/** Where the stand-in's development identity provider signs ID tokens: `POST <httpUrl>/dev-auth/token` `{ name }`. */
export const DEV_TOKEN_PATH = '/dev-auth/token'

/** Topics of the app. */
export const topics = {
  /** Broadcast: every validated chat message, republished by a broker rule. */
  room: 'rooms/lobby/messages',
  /** Server announcements from the backend (HTTP Data Plane API), the last one retained. */
  announcements: 'announcements',
  /** Retained list of who is connected (one member per user), kept by the presence rule from lifecycle events. */
  roster: 'presence/roster',
  /** Where each connection announces its presence state (`presence/state/<clientId>`); the presence rule records it in the roster. */
  presenceStates: 'presence/state',
  /** High-rate telemetry from the device script. */
  telemetry: 'telemetry/cpu',
  /** Each client's input topic: the only topic its policy lets it publish to. */
  input: (clientId: string): string => `client/${clientId}`,
} as const

/** A chat message as the rule republishes it on the room topic. */
export interface ChatMessage {
  id: string
  /** Client id of the author, set by the rule (not trusted from the payload). */
  clientId: string
  name: string
  text: string
  /** Broker time, ms. */
  at: number
}

/** What a client publishes to its input topic. */
export interface ChatInput {
  name: string
  text: string
}

/** A server announcement. */
export interface Announcement {
  text: string
  at: number
}

/**
 * One member of the roster: a user, however many tabs and devices they have open. `clientId`,
 * `connectedAt` and `versionNumber` describe their oldest connection, so `presence(client, { roster })`
 * reads the roster as it is.
 */
export interface RosterMember {
  /** The user (the part of the client id before `_`). */
  userId: string
  /** The user's oldest connected client id. */
  clientId: string
  /** Every connected client id of the user, oldest first. */
  clientIds: string[]
  /** When the oldest connection started, ms. */
  connectedAt: number
  /** `versionNumber` of the oldest connection's lifecycle event, to order it against live events. */
  versionNumber?: number
  /** The authorizer's `principalId` of that connection. */
  principalId?: string
  /** The newest presence state any of the user's connections announced (`iotPresence` reads it). */
  state?: unknown
  /** When that state was announced (the announcing client's clock, ms). */
  stateAt?: number
  /** Which connection announced it. */
  stateClientId?: string
}

/** The retained roster, as of `timestamp`. */
export interface Roster {
  members: RosterMember[]
  /** Counts the changes behind this roster: a higher one is newer. */
  version: number
  timestamp: number
}

/** One telemetry sample. */
export interface TelemetrySample {
  seq: number
  value: number
  at: number
}

/** Longest chat message the rule lets through. */
export const MAX_TEXT = 500

/**
 * What `examples/aws` deploys next to the built app as `config.json` (from the stack's outputs).
 * When the page finds it, the app connects to AWS IoT Core; without it, to the local broker.
 */
export interface DeployedConfig {
  /** IoT data endpoint host, `…-ats.iot.<region>.amazonaws.com`. */
  endpoint: string
  /** Name of the deployed custom authorizer. */
  authorizerName: string
  region?: string
  /** Cognito identity pool (SigV4 for unauthenticated browsers), when the stack has one. */
  identityPoolId?: string
  /** How visitors sign in on the deployment; without it, the local development identity provider. */
  auth?: CognitoAuthConfig
}

/** The deployment's Cognito user pool and its Hosted UI (authorization code + PKCE). */
export interface CognitoAuthConfig {
  kind: 'cognito'
  region: string
  userPoolId: string
  /** The app client (public: no secret) the page signs in with. */
  clientId: string
  /** Hosted UI base URL, `https://<prefix>.auth.<region>.amazoncognito.com`. */
  domain: string
}

/** File name of {@link DeployedConfig}, next to the page's index.html. */
export const DEPLOYED_CONFIG_FILE = 'config.json'
