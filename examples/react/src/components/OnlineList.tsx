import { usePresence } from '@livetopic/react'
import { useEffect } from 'react'
import { nameOf, userOf } from '../../../shared/names.js'
import { followActivity, roomPresence, statusLabel, type MemberStatus } from '../../../shared/presence.js'
import type { Session } from '../../../shared/session.js'

/**
 * Who is online, one entry per user (however many tabs), each with their status: lifecycle events
 * seeded by the retained roster a broker rule keeps, plus the state each member announces.
 */
export function OnlineList({ session: _session }: { session: Session }) {
  const { members, update } = usePresence<MemberStatus>({ strategy: roomPresence, member: userOf, initialState: { status: 'here' } })
  useEffect(() => followActivity(update), [update])
  return (
    <section className="panel" aria-labelledby="online-title">
      <h2 id="online-title">Who is online</h2>
      <ul className="online" aria-labelledby="online-title">
        {members.map((m) => (
          <li key={m.id}>
            {nameOf(m.clientIds[0] ?? m.id)}
            {m.isMe && <span className="you">(you)</span>}
            {statusLabel(m.state) && <span className="status"> {statusLabel(m.state)}</span>}
          </li>
        ))}
      </ul>
      {members.length === 0 && <p className="empty">Nobody yet.</p>}
    </section>
  )
}
