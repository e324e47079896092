import { LiveTopicProvider } from '@livetopic/react'
import { useEffect, useState } from 'react'
import { brokerUrl } from 'virtual:livetopic-broker'
import { join, type Session } from '../../shared/session.js'
import { JoinForm } from './components/JoinForm.js'
import { Room } from './components/Room.js'

/** Picks a name, then shows the live room through one client for the whole tab. */
export function App() {
  const [session, setSession] = useState<Session>()
  // the client lives as long as the session: closing it says goodbye (the roster drops us)
  useEffect(() => () => void session?.client.close(), [session])

  if (!session) return <JoinForm onJoin={(name) => setSession(join(name, brokerUrl))} />
  return (
    <LiveTopicProvider client={session.client}>
      <Room session={session} />
    </LiveTopicProvider>
  )
}
