import type { ListenerOptions, Message, RegisteredFilter, RegisteredTopics } from '@livetopic/core'
import { useEffect, useInsertionEffect, useRef } from 'react'
import { useLiveTopicClient } from './context.js'

/** Options of `useTopicListener`: the listener's options and `enabled`. */
export interface UseTopicListenerOptions<T = unknown> extends ListenerOptions<T> {
  /** `false`: subscribe to nothing (default true). */
  enabled?: boolean
}

/**
 * Calls `onMessage` for every message on the filter, without state and without re-rendering.
 * The latest callback is used, so passing a new function each render does not resubscribe.
 * A `null` filter or `enabled: false` subscribes nothing.
 */
export function useTopicListener<F extends RegisteredFilter>(
  filter: F | null | undefined,
  onMessage: (message: Message<RegisteredTopics[F], F>) => void,
  options?: UseTopicListenerOptions<RegisteredTopics[F]>,
): void
export function useTopicListener<T = unknown, F extends string = string>(
  filter: F | null | undefined,
  onMessage: (message: Message<T, F>) => void,
  options?: UseTopicListenerOptions<T>,
): void
export function useTopicListener<T, F extends string>(
  filter: F | null | undefined,
  onMessage: (message: Message<T, F>) => void,
  options: UseTopicListenerOptions<T> = {},
): void {
  const client = useLiveTopicClient()
  const latest = useRef({ onMessage, onError: options.onError })
  useInsertionEffect(() => {
    latest.current = { onMessage, onError: options.onError }
  })
  const { codec, qos, enabled } = options
  useEffect(() => {
    if (filter == null || enabled === false) return undefined
    return client.onMessage<T, F>(filter, (message) => latest.current.onMessage(message), {
      ...(codec ? { codec } : {}),
      ...(qos === undefined ? {} : { qos }),
      onError: (error) => latest.current.onError?.(error),
    })
  }, [client, filter, codec, qos, enabled])
}
