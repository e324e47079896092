import type { Session } from '../../../shared/session.js'
import { AnnouncementBanner } from './AnnouncementBanner.js'
import { ChatRoom } from './ChatRoom.js'
import { ConnectionBadge } from './ConnectionBadge.js'
import { OnlineList } from './OnlineList.js'
import { TelemetryCard } from './TelemetryCard.js'

/** The signed-in page. */
export function Room({ session }: { session: Session }) {
  return (
    <div className="app">
      <header className="topbar">
        <h1 className="brand">
          livetopic · <small>React</small>
        </h1>
        <span className="who">
          Signed in as <strong>{session.name}</strong>
        </span>
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
