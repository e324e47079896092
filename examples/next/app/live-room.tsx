'use client'

import { LiveTopicProvider } from '@livetopic/react'
import { Suspense } from 'react'
import { ChatRoom } from '../../react/src/components/ChatRoom.js'
import { ConnectionBadge } from '../../react/src/components/ConnectionBadge.js'
import { OnlineList } from '../../react/src/components/OnlineList.js'
import { TelemetryCard } from '../../react/src/components/TelemetryCard.js'
import { AnnouncementBanner, AnnouncementPending } from './announcement-banner.js'
import type { AppSeed } from './app-seed.js'
import { useSession } from './use-session.js'

/** What the server page hands to the browser: plain, serializable data. */
export interface LiveRoomProps {
  name: string
  /** The broker's WebSocket URL, read from the server's environment on each request. */
  brokerUrl: string
  /** Retained values the server read, keyed by topic (empty with `?seed=0`). */
  seed: AppSeed
}

/** The signed-in page: the React example's components, around one client for the tab. */
export function LiveRoom({ name, brokerUrl, seed }: LiveRoomProps) {
  const session = useSession(name, brokerUrl, seed)
  return (
    <LiveTopicProvider client={session.client}>
      <div className="app">
        <header className="topbar">
          <h1 className="brand">
            livetopic · <small>Next.js</small>
          </h1>
          <span className="who">
            Signed in as <strong>{session.name}</strong>
          </span>
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
