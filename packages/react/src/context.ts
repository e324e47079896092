import { LiveTopicError, type LiveTopicClient, type TopicMap } from '@livetopic/core'
import { createContext, createElement, useContext, type ReactNode } from 'react'

/** A livetopic client, whatever its topic map. */
export type AnyLiveTopicClient = LiveTopicClient<TopicMap>

const LiveTopicContext = createContext<AnyLiveTopicClient | null>(null)

/** Props of `LiveTopicProvider`. */
export interface LiveTopicProviderProps {
  /** The client every hook below uses (one per app or tab: one socket). */
  client: AnyLiveTopicClient
  /** The part of the app that uses it. */
  children?: ReactNode
}

/** Puts a livetopic client in context for the hooks below it. */
export function LiveTopicProvider({ client, children }: LiveTopicProviderProps): ReactNode {
  return createElement(LiveTopicContext.Provider, { value: client }, children)
}

/** The client from the nearest `LiveTopicProvider`; throws when there is none (a setup mistake). */
export function useLiveTopicClient(): AnyLiveTopicClient {
  const client = useContext(LiveTopicContext)
  if (!client) throw new LiveTopicError('INVALID_OPTIONS', 'no livetopic client: wrap the tree in <LiveTopicProvider client={…}>')
  return client
}
