import { useLiveTopicClient, useStoreValue } from '@livetopic/react'
import { presence } from '@livetopic/core/aws'
import { topics } from '../../../shared/config.js'
import { nameOf, onePerUser, userOf } from '../../../shared/names.js'
import type { Session } from '../../../shared/session.js'

/**
 * Who is online: lifecycle events (`$aws/events/presence/...`) seeded by the retained roster a
 * broker rule keeps, since lifecycle events only tell what changes after subscribing.
 */
export function OnlineList({ session }: { session: Session }) {
  // same client and options give the same store, so asking on every render is cheap
  const { members } = useStoreValue(presence(useLiveTopicClient(), { roster: topics.roster }))
  return (
    <section className="panel" aria-labelledby="online-title">
      <h2 id="online-title">Who is online</h2>
      <ul className="online" aria-labelledby="online-title">
        {onePerUser(members).map((m) => (
          <li key={userOf(m.clientId)}>
            {nameOf(m.clientId)}
            {userOf(m.clientId) === userOf(session.clientId) && <span className="you">(you)</span>}
          </li>
        ))}
      </ul>
      {members.length === 0 && <p className="empty">Nobody yet.</p>}
    </section>
  )
}
