import { shallowRef, type ShallowRef } from 'vue'
import { previewSession, type Session } from '../../../shared/session.js'
import { signedInSession, followSignIn } from '../../../shared/ssr-sign-in.js'

/** The room's session and where the browser finds the broker, as the plugin provides them. */
export interface LiveState {
  /** The preview (server render, hydration), then the signed-in session the browser's tabs share. */
  session: ShallowRef<Session | undefined>
  httpUrl: string
}

/**
 * One livetopic session per Nuxt app: a preview for each request on the server (the seed, no
 * socket, never shared between requests), the same preview to hydrate in the browser, which then
 * signs `?name` in (or finds it signed in already, in localStorage) and swaps in the session every
 * tab of the browser shares.
 */
export default defineNuxtPlugin({
  name: 'livetopic',
  async setup(nuxtApp) {
    const query = useRequestURL().searchParams
    const name = query.get('name')?.trim()
    // runs on the server, and its result reaches the browser in the payload
    const { data, error } = await useAsyncData('livetopic', () => $fetch('/api/live', { query: { seed: name && query.get('seed') !== '0' ? '1' : '0' } }))
    if (!data.value) throw createError(error.value ?? 'no broker address')
    const { brokerUrl, httpUrl, seed } = data.value
    const session = shallowRef(name ? previewSession(name, seed) : undefined)
    const live: LiveState = { session, httpUrl }
    if (!name) return { provide: { live } }
    if (import.meta.server) nuxtApp.hook('app:rendered', () => void session.value?.client.close())
    else
      nuxtApp.hook('app:mounted', () => {
        followSignIn(httpUrl, name)
        signedInSession(name, { brokerUrl, httpUrl }, seed).then(
          (next) => (session.value = next),
          (problem: Error) => console.error(`could not sign in: ${problem.message}`),
        )
      })
    return { provide: { live } }
  },
})
