import type { Seed } from '@livetopic/core'
import { devSignIn } from './dev-sign-in.js'
import { pageAuth, type PageAuth } from './page-auth.js'
import { join, type AppTopics, type Session } from './session.js'

/**
 * Sign-in for the server-rendered examples (Next, Nuxt, SvelteKit). Their address says who
 * (`/?name=Ada`, so the server renders that room); the browser signs that name in once and keeps
 * it in localStorage, so every tab of the browser is the same user with the same client id and
 * shares one connection. Browser only.
 */

let auth: PageAuth | undefined
const authAt = (httpUrl: string): PageAuth => (auth ??= pageAuth(httpUrl))

/** Where the browser needs the stand-in: its WebSocket for MQTT, its HTTP base for the dev sign-in. */
export interface BrowserBroker {
  brokerUrl: string
  httpUrl: string
}

/**
 * The browser's session as `name`: the stored sign-in when it is that name, otherwise a new one
 * (which every other tab of the browser follows). Starts from `seed`, as the server's HTML did.
 */
export async function signedInSession(name: string, { brokerUrl, httpUrl }: BrowserBroker, seed: Seed<AppTopics>): Promise<Session> {
  const { session } = authAt(httpUrl)
  const user = session.user?.name === name ? session.user : await session.signIn(name, await devSignIn(httpUrl, name))
  return join(user, (options) => session.token(options), brokerUrl, seed)
}

/** The name signed in in this browser, if any: `/` opens that room instead of the form. */
export const storedName = (httpUrl: string): string | undefined => authAt(httpUrl).session.user?.name

/**
 * Keeps the room of `name` in step with the browser's sign-in: signed out in any tab, back to the
 * form; signed in as someone else in another tab, to their room. Returns the unsubscribe.
 */
export const followSignIn = (httpUrl: string, name: string): (() => void) =>
  authAt(httpUrl).session.subscribe((user) => {
    if (!user) location.assign('/')
    else if (user.name !== name) location.assign(`/?${new URLSearchParams({ name: user.name }).toString()}`)
  })

/** Signs this browser out, in every tab. */
export const signOut = (httpUrl: string): void => authAt(httpUrl).signOut()
