import { iotPresence } from '@livetopic/core/presence'
import { topics } from './config.js'

/** What each member shows beside their name: set through `usePresence`'s `update`. */
export interface MemberStatus {
  status: 'here' | 'typing' | 'away'
}

/**
 * How the examples do presence: AWS IoT Core's way (the stand-in runs the same rules), lifecycle
 * events + the roster, each member's state announced on `presence/state/<clientId>` and recorded
 * in the roster. Module scope: one strategy object keys the room. On Mosquitto or EMQX it would
 * be `retainedPresence()`, with its `will(clientId)` passed to `createClient`.
 */
export const roomPresence = iotPresence({ roster: topics.roster, states: topics.presenceStates })

/** The line beside a member's name. */
export function statusLabel(state: MemberStatus | undefined): string {
  return state?.status === 'typing' ? 'typing…' : state?.status === 'away' ? 'away' : ''
}

// typing ends after this long without a keystroke
const TYPING_IDLE_MS = 3000

/**
 * Follows what the person does on the page: `away` while the tab is hidden, `typing` while a text
 * field holds text and keystrokes keep coming, `here` otherwise. Calls `update` only on a change
 * (each call is an announcement to everyone). Returns the stop function.
 */
export function followActivity(update: (state: MemberStatus) => void): () => void {
  let current: MemberStatus['status'] | undefined
  let idle: ReturnType<typeof setTimeout> | undefined
  const set = (status: MemberStatus['status']): void => {
    if (status === current) return
    current = status
    update({ status })
  }
  const here = (): void => set(document.visibilityState === 'hidden' ? 'away' : 'here')
  const onInput = (event: Event): void => {
    const field = event.target
    if (!(field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)) return
    clearTimeout(idle)
    if (field.value === '') return here()
    set('typing')
    idle = setTimeout(here, TYPING_IDLE_MS)
  }
  // a sent message empties the field without an input event
  const onSubmit = (): void => {
    clearTimeout(idle)
    here()
  }
  here()
  document.addEventListener('visibilitychange', here)
  document.addEventListener('input', onInput)
  document.addEventListener('submit', onSubmit)
  return () => {
    clearTimeout(idle)
    document.removeEventListener('visibilitychange', here)
    document.removeEventListener('input', onInput)
    document.removeEventListener('submit', onSubmit)
  }
}
