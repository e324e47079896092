import { mountDevtools } from '@livetopic/devtools'
import { LiveTopicProvider } from '@livetopic/react'
import { useEffect, useState, useSyncExternalStore } from 'react'
import { brokerUrl, httpUrl } from 'virtual:livetopic-broker'
import { pageAuth } from '../../shared/page-auth.js'
import { join, type Session } from '../../shared/session.js'
import { JoinForm } from './components/JoinForm.js'
import { Room } from './components/Room.js'

// one sign-in per browser (localStorage): a second tab opens signed in
const auth = pageAuth(httpUrl)
const subscribe = (onChange: () => void) => auth.session.subscribe(onChange)
const signedInUser = () => auth.session.user

/** Signs in once per browser, then shows the live room through the connection the tabs share. */
export function App() {
  const user = useSyncExternalStore(subscribe, signedInUser)
  const [session, setSession] = useState<Session>()
  // the client lives as long as the sign-in: closing it says goodbye (the roster drops us)
  useEffect(() => {
    if (!user) return
    const joined = join(user, (options) => auth.session.token(options), brokerUrl)
    // devtools in dev only (Alt+Shift+L): a production build has none of their code; they follow
    // the client this effect made (StrictMode makes and closes one first)
    const hideDevtools = import.meta.env.DEV ? mountDevtools(joined.client) : undefined
    setSession(joined)
    return () => {
      hideDevtools?.()
      setSession(undefined)
      void joined.client.close()
    }
  }, [user])

  if (!user) return <JoinForm onJoin={auth.signIn} />
  if (!session) return null
  return (
    <LiveTopicProvider client={session.client}>
      <Room session={session} onSignOut={auth.signOut} />
    </LiveTopicProvider>
  )
}
