import { liveTopic } from '@livetopic/vue'
import { clientIdFor } from '../../../shared/names.js'
import { join, type Session } from '../../../shared/session.js'

/**
 * One livetopic session per Nuxt app: a new one for each request on the server (never shared
 * between requests; it renders the seed and opens no socket) and one in the browser, which
 * starts from the same seed and client id, so hydration matches, and carries on live.
 */
export default defineNuxtPlugin({
  name: 'livetopic',
  async setup(nuxtApp) {
    const query = useRequestURL().searchParams
    const name = query.get('name')?.trim()
    if (!name) return { provide: { liveSession: undefined as Session | undefined } }
    // runs on the server, and its result reaches the browser in the payload
    const { data, error } = await useAsyncData('livetopic', async () => ({
      ...(await $fetch('/api/live', { query: { seed: query.get('seed') === '0' ? '0' : '1' } })),
      clientId: clientIdFor(name),
    }))
    if (!data.value) throw createError(error.value ?? 'no broker address')
    const { brokerUrl, seed, clientId } = data.value
    const session = join(name, brokerUrl, seed, clientId)
    nuxtApp.vueApp.use(liveTopic(session.client))
    if (import.meta.server) nuxtApp.hook('app:rendered', () => void session.client.close())
    return { provide: { liveSession: session } }
  },
})
