import { presence } from '@livetopic/core/aws'
import { fromStore } from 'svelte/store'
import { topics } from '../../../shared/config.js'
import type { Session } from '../../../shared/session.js'

/**
 * The tab's title, live: the latest announcement and how many are online. Runes in a `.svelte.ts`
 * module, where the components use `$store`; call it during component set-up.
 */
export function roomTitle(client: Session['client']): { readonly current: string } {
  const announcement = fromStore(client.topic(topics.announcements))
  const online = fromStore(presence(client, { roster: topics.roster }))
  const title = $derived([announcement.current.data?.text, `${online.current.members.length} online`, 'livetopic · SvelteKit'].filter(Boolean).join(' · '))
  return {
    get current() {
      return title
    },
  }
}
