import { useEffect, useState } from 'react'
import type { Seed } from '@livetopic/core'
import { signedInSession, followSignIn } from '../../shared/ssr-sign-in.js'
import { previewSession, type AppTopics, type Session } from '../../shared/session.js'

/** What the server page hands to the browser to join: plain, serializable data. */
export interface SessionProps {
  name: string
  /** The broker's WebSocket URL, read from the server's environment on each request. */
  brokerUrl: string
  /** The broker's HTTP base (the development sign-in), from the same environment. */
  httpUrl: string
  /** Retained values the server read, keyed by topic (empty with `?seed=0`). */
  seed: Seed<AppTopics>
}

/**
 * The tab's session. The server and the hydrating browser render the same preview (the seed, no
 * socket: the server cannot know who signed in in this browser); once mounted, the browser signs
 * `name` in (or finds it signed in already, in localStorage) and swaps in the session every tab
 * of the browser shares. Signing out in any tab goes back to the form (`followSignIn`).
 */
export function useSession({ name, brokerUrl, httpUrl, seed }: SessionProps): Session {
  const [preview] = useState(() => previewSession(name, seed))
  const [session, setSession] = useState<Session>()
  useEffect(() => {
    let joined: Session | undefined
    let gone = false
    signedInSession(name, { brokerUrl, httpUrl }, seed).then(
      (next) => (gone ? void next.client.close() : setSession((joined = next))),
      (error: Error) => console.error(`could not sign in: ${error.message}`),
    )
    const stop = followSignIn(httpUrl, name)
    // closing says goodbye (the roster drops us)
    return () => {
      gone = true
      stop()
      void joined?.client.close()
    }
  }, [name, brokerUrl, httpUrl, seed])
  useEffect(() => {
    if (session) void preview.client.close()
  }, [session, preview])
  return session ?? preview
}
