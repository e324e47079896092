import { useEffect, useRef, useState } from 'react'
import type { Seed } from '@livetopic/core'
import { join, type AppTopics, type Session } from '../../shared/session.js'

/** What the server page hands to the browser to join: plain, serializable data. */
export interface SessionProps {
  name: string
  /** Picked by the server for this page load. */
  clientId: string
  /** The broker's WebSocket URL, read from the server's environment on each request. */
  brokerUrl: string
  /** Retained values the server read, keyed by topic (empty with `?seed=0`). */
  seed: Seed<AppTopics>
}

/**
 * The tab's session, made once per mount: on the server (its client never connects there) and
 * again in the browser, both with the same client id and seed, so the hydrated page matches the
 * server's HTML and the browser's client carries on live.
 */
export function useSession({ name, clientId, brokerUrl, seed }: SessionProps): Session {
  const [session] = useState(() => join(name, brokerUrl, seed, clientId))
  // closing says goodbye (the roster drops us); a tick later, so that StrictMode's trial
  // unmount and remount in development keeps the client
  const closing = useRef<ReturnType<typeof setTimeout>>(undefined)
  useEffect(() => {
    clearTimeout(closing.current)
    return () => {
      closing.current = setTimeout(() => void session.client.close())
    }
  }, [session])
  return session
}
