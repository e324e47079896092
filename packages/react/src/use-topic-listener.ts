import type { ListenerOptions, Message, RegisteredFilter, RegisteredTopics } from '@livetopic/core'
import { useEffect, useInsertionEffect, useRef } from 'react'
import { useLiveTopicClient } from './context.js'

/**
 * Calls `onMessage` for every message on the filter, without state and without re-rendering.
 * The latest callback is used, so passing a new function each render does not resubscribe.
 */
export function useTopicListener<F extends RegisteredFilter>(
  filter: F,
  onMessage: (message: Message<RegisteredTopics[F], F>) => void,
  options?: ListenerOptions<RegisteredTopics[F]>,
): void
export function useTopicListener<T = unknown, F extends string = string>(
  filter: F,
  onMessage: (message: Message<T, F>) => void,
  options?: ListenerOptions<T>,
): void
export function useTopicListener<T, F extends string>(filter: F, onMessage: (message: Message<T, F>) => void, options: ListenerOptions<T> = {}): void {
  const client = useLiveTopicClient()
  const latest = useRef({ onMessage, onError: options.onError })
  useInsertionEffect(() => {
    latest.current = { onMessage, onError: options.onError }
  })
  const { codec, qos } = options
  useEffect(
    () =>
      client.onMessage<T, F>(filter, (message) => latest.current.onMessage(message), {
        ...(codec ? { codec } : {}),
        ...(qos === undefined ? {} : { qos }),
        onError: (error) => latest.current.onError?.(error),
      }),
    [client, filter, codec, qos],
  )
}
