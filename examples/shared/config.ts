/** Names the three examples, the broker set-up and the scripts agree on. */

/** Port of the dev broker (WebSocket + HTTP). Fixed so `npm run announce` and `npm run telemetry` find it. */
export const DEFAULT_BROKER_PORT = 8080

/** Name of the custom authorizer, as it would be registered in AWS IoT Core. */
export const AUTHORIZER_NAME = 'ExampleAuthorizer'

/**
 * Token a signed-in browser presents. A real app gets a per-user session token from its backend;
 * the example authorizer accepts this one so the demo needs no login service.
 */
export const BROWSER_TOKEN = 'demo-browser-token'

/** Token of the telemetry "device" (`npm run telemetry`), allowed to publish telemetry only. */
export const DEVICE_TOKEN = 'demo-device-token'

/** Topics of the app. */
export const topics = {
  /** Broadcast: every validated chat message, republished by a broker rule. */
  room: 'rooms/lobby/messages',
  /** Server announcements from the backend (HTTP Data Plane API), the last one retained. */
  announcements: 'announcements',
  /** Retained list of connected clients, kept by a broker rule from lifecycle events. */
  roster: 'presence/roster',
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

/** One connected client in the roster (the shape `presence(client, { roster })` reads). */
interface RosterMember {
  clientId: string
  /** When this connection started, ms. */
  connectedAt: number
  /** `versionNumber` of the lifecycle event, to order it against live events. */
  versionNumber?: number
}

/** The retained roster, as of `timestamp`. */
export interface Roster {
  members: RosterMember[]
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
