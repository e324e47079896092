import type { LiveState } from '../plugins/livetopic.js'

/** The room's session (preview, then signed in) and the broker's HTTP base, from the livetopic plugin. */
export function useLiveSession(): LiveState {
  return useNuxtApp().$live
}
