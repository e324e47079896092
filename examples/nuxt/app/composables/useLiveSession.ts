import type { Session } from '../../../shared/session.js'

/** The signed-in session (its livetopic client and who it is), or undefined on the join form. */
export function useLiveSession(): Session | undefined {
  return useNuxtApp().$liveSession
}
