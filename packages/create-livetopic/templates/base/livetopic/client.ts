import { createClient, type ClientOptions, type LiveTopicClient } from '@livetopic/core'
import { iotCustomAuthorizer } from '@livetopic/core/aws'
import { AUTHORIZER_NAME, type AppTopics } from './topics.js'

/** A signed-in user's token and id (the token's `sub`). */
export interface SignIn {
  idToken: string
  sub: string
}

/**
 * Signs `name` in with the stand-in's development identity provider. On AWS, replace it with your
 * provider's sign-in (Cognito's Hosted UI, Auth0, ...): the authorizer only needs its ID token.
 */
export async function devSignIn(brokerUrl: string, name: string): Promise<SignIn> {
  const http = new URL(brokerUrl.replace(/^ws/, 'http'))
  const response = await fetch(new URL('/dev-auth/token', http.origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  })
  if (!response.ok) throw new Error(`sign-in refused: HTTP ${response.status}`)
  return (await response.json()) as SignIn
}

/** Where to connect: AWS IoT Core when the build has `VITE_IOT_ENDPOINT`, otherwise the local stand-in. */
export const endpointOf = (localUrl: string): string => (import.meta.env?.VITE_IOT_ENDPOINT as string | undefined) || localUrl

/**
 * The app's one client for a signed-in user: AWS IoT Core's custom-authorizer URL (locally the
 * stand-in's), client id `<sub>-<random>`. `token` is asked on every connect attempt.
 */
export function connect(endpoint: string, user: SignIn, token: () => string | Promise<string>, extra: Partial<ClientOptions> = {}): LiveTopicClient<AppTopics> {
  return createClient<AppTopics>({
    url: iotCustomAuthorizer({ endpoint, authorizerName: AUTHORIZER_NAME, token }),
    clientId: `${user.sub}-${Math.random().toString(36).slice(2, 10)}`,
    // MQTT 5, as IoT Core speaks it: a refused publish or subscription is answered with a reason
    // code (a NOT_AUTHORIZED error on that call or topic) and the connection stays up
    protocolVersion: 5,
    ...extra,
  })
}
