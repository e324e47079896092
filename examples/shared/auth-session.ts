import { clientIdOf, userIdOf } from './identity.js'
import { nameLabelOf } from './names.js'

/** What a sign-in (or a renewal) hands back. Never logged: `idToken` and `refreshToken` are secrets. */
export interface Tokens {
  /** The JWT the authorizer verifies. */
  idToken: string
  /** When `idToken` expires, epoch ms. */
  expiresAt: number
  /** The token's `sub`: who the user is. */
  sub: string
  /** Cognito's refresh token (the dev issuer re-issues from the name instead). */
  refreshToken?: string
}

/** Who is signed in, in this browser: the same in every tab. */
export interface SignedInUser {
  /** Display name (typed locally, from the ID token on Cognito). */
  name: string
  /** From the token's `sub` (`userIdOf`): the prefix of every client id the policy grants. */
  userId: string
  /** `<userId>_<device>`: one per browser, so every tab shares one connection under it. */
  clientId: string
}

/** The stored session: the user and their latest tokens (localStorage, one entry per browser). */
interface StoredSession extends Tokens {
  name: string
  userId: string
}

/** Options of {@link AuthSession.token}. */
export interface TokenOptions {
  /** Renew even if the stored token looks valid: the authorizer has just refused it. */
  renew?: boolean
}

/** Where a connection gets its token, on every connect attempt. */
export type TokenProvider = (options?: TokenOptions) => Promise<string>

/** Renews the tokens of a stored session (dev: re-issue from the name; Cognito: the refresh token). */
export type RenewTokens = (session: { name: string; refreshToken?: string }) => Promise<Tokens>

/** Thrown when a sign-in or renewal is refused or fails; never carries a token. */
export class SignInError extends Error {
  override readonly name = 'SignInError'
  /** True when the provider answered no (4xx): the session is over, the visitor signs in again. */
  readonly refused: boolean
  constructor(message: string, options: { refused?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.refused = options.refused ?? false
  }
}

/** Thrown by {@link AuthSession.token} when nobody is signed in (another tab signed out). */
class SignedOutError extends Error {
  override readonly name = 'SignedOutError'
  constructor() {
    super('signed out')
  }
}

/** Renew when less than this is left, so a connect attempt never presents a token about to expire. */
const RENEW_BEFORE_MS = 5 * 60_000
const SESSION_KEY = 'livetopic.session'
const DEVICE_KEY = 'livetopic.device'

function readSession(storage: Storage): StoredSession | undefined {
  try {
    const value = JSON.parse(storage.getItem(SESSION_KEY) ?? 'null') as Partial<StoredSession> | null
    const valid =
      typeof value?.idToken === 'string' &&
      typeof value.sub === 'string' &&
      typeof value.userId === 'string' &&
      typeof value.name === 'string' &&
      typeof value.expiresAt === 'number'
    return valid ? (value as StoredSession) : undefined
  } catch {
    return undefined // a damaged entry is the same as none: the visitor signs in again
  }
}

/** This browser's device id: random once, then the same in every tab (the second half of the client id). */
function deviceId(storage: Storage): string {
  let id = storage.getItem(DEVICE_KEY)
  if (!id || !/^[a-z0-9]{1,32}$/.test(id)) {
    const bytes = crypto.getRandomValues(new Uint8Array(8))
    id = Array.from(bytes, (b) => (b % 36).toString(36)).join('')
    storage.setItem(DEVICE_KEY, id)
  }
  return id
}

/**
 * The signed-in session of this browser, kept in localStorage so every tab (and the next visit)
 * is signed in as the same user with the same client id. `token()` hands out a fresh token on
 * every connect attempt, renewing it through `renew` when it is about to expire. Another tab's
 * sign-in or sign-out reaches this one through the `storage` event.
 */
export class AuthSession {
  readonly #storage: Storage
  readonly #renew: RenewTokens
  readonly #listeners = new Set<(user: SignedInUser | undefined) => void>()
  #user: SignedInUser | undefined
  #renewing: Promise<string> | undefined

  constructor(storage: Storage, renew: RenewTokens, events: Pick<Window, 'addEventListener'> | undefined = globalThis.window) {
    this.#storage = storage
    this.#renew = renew
    this.#user = this.#userOf(readSession(storage))
    events?.addEventListener('storage', (event: StorageEvent) => {
      if (event.key === SESSION_KEY || event.key === null) this.#update()
    })
  }

  /** Who is signed in now, or undefined. */
  get user(): SignedInUser | undefined {
    return this.#user
  }

  /** Calls `listener` on every sign-in and sign-out (this tab's or another's); returns the unsubscribe. */
  subscribe(listener: (user: SignedInUser | undefined) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Stores fresh tokens from a sign-in as this browser's session. */
  async signIn(name: string, tokens: Tokens): Promise<SignedInUser> {
    this.#save({ ...tokens, name: name.trim(), userId: await userIdOf(tokens.sub) })
    this.#update()
    return this.#user!
  }

  /** Forgets the session here and, through the storage event, in every other tab. */
  signOut(): void {
    this.#storage.removeItem(SESSION_KEY)
    this.#update()
  }

  /**
   * A token for the next connect attempt: the stored one while more than 5 minutes are left,
   * otherwise (or when asked to `renew`) a renewed one (one renewal at a time; every tab reads the
   * latest from storage).
   */
  token(options: TokenOptions = {}): Promise<string> {
    const session = readSession(this.#storage)
    if (!session) return Promise.reject(new SignedOutError())
    if (!options.renew && session.expiresAt - Date.now() > RENEW_BEFORE_MS) return Promise.resolve(session.idToken)
    this.#renewing ??= this.#renewed(session).finally(() => (this.#renewing = undefined))
    return this.#renewing
  }

  async #renewed(session: StoredSession): Promise<string> {
    let tokens: Tokens
    try {
      tokens = await this.#renew(session)
    } catch (error) {
      // the provider said no (refresh token revoked or expired): the session is over, in every tab
      if (error instanceof SignInError && error.refused) this.signOut()
      throw error
    }
    // the same user, or nobody: a renewal never switches accounts under a running connection
    if (tokens.sub !== session.sub) throw new Error('the renewed token is for another user')
    // signed out meanwhile: hand the token to nobody
    if (!readSession(this.#storage)) throw new SignedOutError()
    this.#save({ ...session, ...tokens, refreshToken: tokens.refreshToken ?? session.refreshToken })
    return tokens.idToken
  }

  #save(session: StoredSession): void {
    this.#storage.setItem(SESSION_KEY, JSON.stringify(session))
  }

  #userOf(session: StoredSession | undefined): SignedInUser | undefined {
    if (!session) return undefined
    // the device part starts with the name, so "who is online" can show names (the user id before
    // `_` is what the authorizer verified; the label after it is the user's own, cosmetic)
    const device = `${nameLabelOf(session.name)}-${deviceId(this.#storage)}`
    return { name: session.name, userId: session.userId, clientId: clientIdOf(session.userId, device) }
  }

  /** Re-reads the stored user; tells the listeners only when who is signed in changed (not on a renewal). */
  #update(): void {
    const next = this.#userOf(readSession(this.#storage))
    if (next?.clientId === this.#user?.clientId && next?.name === this.#user?.name) return
    this.#user = next
    for (const listener of this.#listeners) {
      try {
        listener(next)
      } catch (error) {
        console.error('a sign-in listener failed', error)
      }
    }
  }
}
