import { presence } from '@livetopic/core/aws'
import { liveStore, liveTopic } from '@livetopic/svelte/runes'
import { topics } from '../../../shared/config.js'
import type { Session } from '../../../shared/session.js'

/**
 * The tab's title, live: the latest announcement and how many are online. The runes way, in a
 * `.svelte.ts` module (`liveTopic`, `liveStore`), beside the components' `$store`s. Seeded like
 * them, so the server's `<title>` already says it. Call it during component set-up.
 */
export function roomTitle(client: Session['client']): { readonly current: string } {
  const announcement = liveTopic(client, topics.announcements)
  const online = liveStore(presence(client, { roster: topics.roster }))
  const title = $derived([announcement.current.data?.text, `${online.current.members.length} online`, 'livetopic · SvelteKit'].filter(Boolean).join(' · '))
  return {
    get current() {
      return title
    },
  }
}
