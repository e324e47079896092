'use client'

import { LiveTopicProvider } from '@livetopic/react'
import { Suspense } from 'react'
import { ChatRoom } from '../../react/src/components/ChatRoom.js'
import { ConnectionBadge } from '../../react/src/components/ConnectionBadge.js'
import { OnlineList } from '../../react/src/components/OnlineList.js'
import { TelemetryCard } from '../../react/src/components/TelemetryCard.js'
import { signOut } from '../../shared/ssr-sign-in.js'
import { AnnouncementBanner, AnnouncementPending } from './announcement-banner.js'
import { useSession, type SessionProps } from './use-session.js'

/** The signed-in page: the React example's components, around the client the browser's tabs share. */
export function LiveRoom(props: SessionProps) {
  const session = useSession(props)
  return (
    <LiveTopicProvider client={session.client}>
      {/* a new client (the preview swapped for the signed-in session) is a fresh subtree */}
      <div className="app" key={session.clientId}>
        <header className="topbar">
          <h1 className="brand">
            livetopic · <small>Next.js</small>
          </h1>
          <span className="who">
            Signed in as <strong>{session.name}</strong>
          </span>
          <button type="button" className="ghost" onClick={() => signOut(props.httpUrl)}>
            Sign out
          </button>
          <ConnectionBadge />
        </header>
        <Suspense fallback={<AnnouncementPending />}>
          <AnnouncementBanner />
        </Suspense>
        <main className="grid">
          <ChatRoom session={session} />
          <div className="side">
            <OnlineList session={session} />
            <TelemetryCard />
          </div>
        </main>
      </div>
    </LiveTopicProvider>
  )
}
