import { AuthSession, SignInError, type SignedInUser } from './auth-session.js'
import { deployedConfig } from './broker-target.js'
import type { CognitoAuthConfig } from './config.js'

// Each flow is loaded when it is first needed: a page signs in through one of the two, and a visitor
// already signed in (token still valid) through neither, so neither weighs on the page (README, Size).
const cognitoFlow = () => import('./cognito-sign-in.js')
const devSignIn = async (httpUrl: string, name: string) => (await import('./dev-sign-in.js')).devSignIn(httpUrl, name)

/** Sign-in for the example pages: who is signed in in this browser, and the actions. */
export interface PageAuth {
  /** The session kept in localStorage (`user`, `subscribe`, `token()` for the connection). */
  readonly session: AuthSession
  /** Signs in: locally one call to the development provider with `name`; deployed, off to Cognito's Hosted UI. */
  readonly signIn: (name: string) => Promise<void>
  /** Signs out this browser (every tab); deployed, also ends the Hosted UI's session. */
  readonly signOut: () => void
}

/** The deployment's Cognito settings; a malformed `auth` is a deployment mistake, said clearly. */
async function cognitoOf(): Promise<CognitoAuthConfig | undefined> {
  const auth = (await deployedConfig())?.auth
  if (auth === undefined) return undefined
  const valid = auth.kind === 'cognito' && [auth.domain, auth.clientId].every((v) => typeof v === 'string' && v !== '')
  if (!valid || !/^https:\/\//.test(auth.domain)) throw new SignInError('config.json: auth must be { kind: "cognito", clientId, domain: "https://…" }')
  return auth
}

/** The page's address without the Hosted UI's `?code=…&state=…`: where Cognito sends the visitor back. */
const pageAddress = (): string => `${location.origin}${location.pathname}`

/**
 * Sign-in for a page: the local stand-in's development identity provider at `httpUrl`, or the
 * deployment's Cognito user pool when its `config.json` names one. Back from the Hosted UI, the
 * page trades the code for tokens here (once per page load).
 */
export function pageAuth(httpUrl: string): PageAuth {
  const session = new AuthSession(localStorage, async ({ name, refreshToken }) => {
    const cognito = await cognitoOf()
    if (!cognito) return devSignIn(httpUrl, name)
    return (await cognitoFlow()).refreshCognitoTokens(cognito, refreshToken ?? '')
  })
  void completeRedirect(session).catch((error: unknown) => console.error('sign-in failed:', (error as Error).message))
  return {
    session,
    signIn: async (name) => {
      const cognito = await cognitoOf()
      if (cognito) location.assign(await (await cognitoFlow()).beginCognitoSignIn(cognito, pageAddress()))
      else await session.signIn(name, await devSignIn(httpUrl, name))
    },
    signOut: () => {
      session.signOut()
      void cognitoOf().then(async (cognito) => cognito && location.assign((await cognitoFlow()).cognitoSignOutUrl(cognito, pageAddress())))
    },
  }
}

async function completeRedirect(session: AuthSession): Promise<SignedInUser | undefined> {
  const cognito = new URL(location.href).searchParams.has('code') ? await cognitoOf() : undefined
  if (!cognito) return undefined
  const { completeCognitoSignIn } = await cognitoFlow()
  const done = await completeCognitoSignIn(cognito, location.href).finally(() => history.replaceState(null, '', pageAddress()))
  return done && session.signIn(done.name, done.tokens)
}
