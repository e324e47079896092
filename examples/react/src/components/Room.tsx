import type { Session } from '../../../shared/session.js'
import { AnnouncementBanner } from './AnnouncementBanner.js'
import { ChatRoom } from './ChatRoom.js'
import { ConnectionBadge } from './ConnectionBadge.js'
import { OnlineList } from './OnlineList.js'
import { TelemetryCard } from './TelemetryCard.js'

/** The signed-in page. `onSignOut` signs this browser out, in every tab. */
export function Room({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  return (
    <div className="app">
      <header className="topbar">
        <h1 className="brand">
          livetopic · <small>React</small>
        </h1>
        <span className="who">
          Signed in as <strong>{session.name}</strong>
        </span>
        <button type="button" className="ghost" onClick={onSignOut}>
          Sign out
        </button>
        <ConnectionBadge />
      </header>
      <AnnouncementBanner />
      <main className="grid">
        <ChatRoom session={session} />
        <div className="side">
          <OnlineList session={session} />
          <TelemetryCard />
        </div>
      </main>
    </div>
  )
}
