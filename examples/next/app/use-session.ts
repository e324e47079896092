import { useEffect, useRef, useState } from 'react'
import { join, type Session } from '../../shared/session.js'
import type { AppSeed } from './app-seed.js'

/**
 * The tab's session, made once per mount: on the server (its client never connects there) and
 * again in the browser, both from the same seed, so the hydrated page matches the server's HTML
 * and the browser's client carries on live.
 */
export function useSession(name: string, brokerUrl: string, seed: AppSeed): Session {
  const [session] = useState(() => {
    const created = join(name, brokerUrl)
    created.client.seed(seed)
    return created
  })
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
