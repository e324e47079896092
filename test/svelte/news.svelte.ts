// What an app's `.svelte.ts` module does with the runes helpers: derive view state from live stores.
import type { LiveTopicClient } from '@livetopic/core'
import { liveStore, liveTopic } from '@livetopic/svelte/runes'

export function newsBanner(client: LiveTopicClient): { readonly text: string; readonly connection: string } {
  const news = liveTopic<{ text: string }>(client, 'news')
  const status = liveStore(client.status)
  const text = $derived(news.current.data ? `${news.current.data.text}${news.current.seeded ? ' (seeded)' : ''}` : news.current.status)
  return {
    get text() {
      return text
    },
    get connection() {
      return status.current.status
    },
  }
}
