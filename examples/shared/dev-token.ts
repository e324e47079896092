import { DEV_TOKEN_PATH } from './config.js'

/** A development ID token, as the stand-in's `POST /dev-auth/token` answers. */
export interface DevToken {
  idToken: string
  /** Epoch milliseconds. */
  expiresAt: number
  sub: string
}

/** Signs in as `name` with the local broker's development identity provider (no password: local only). */
export async function fetchDevToken(httpUrl: string, name: string, load: typeof fetch = globalThis.fetch): Promise<DevToken> {
  const response = await load(`${httpUrl}${DEV_TOKEN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  })
  const body = (await response.json().catch(() => ({}))) as Partial<DevToken> & { message?: string }
  if (!response.ok || typeof body.idToken !== 'string') throw new Error(`sign-in failed (${response.status}): ${body.message ?? 'no token'}`)
  return body as DevToken
}
