import type { ReadableAtom } from 'nanostores'
import type { TopicState } from './types.js'

/** Whether a topic state has something to show: data (from a seed or a message) or an error. */
export function isTopicReady(state: TopicState<unknown, string>): boolean {
  return state.message !== undefined || state.seeded === true || state.error !== undefined
}

const waiting = new WeakMap<object, Promise<void>>()

// How long the listener stays after the promise settles: the suspended component must mount (and
// listen) before it goes, or the subscription would end and start again (a refused one would
// clear its error on the new SUBSCRIBE, and suspend again). React may wait 300 ms to reveal.
const HOLD_AFTER_SETTLED = 3000

/**
 * For Suspense in an adapter: `undefined` when the store has data (seed or message) or an error,
 * else a promise that resolves once it has, the same one for the same store while it waits (so a
 * framework can throw or await it on every render). While waiting it listens to the store, so the
 * store subscribes even though nothing renders it yet, and lets go a few seconds after it settled
 * (time for the suspended component to mount and listen). Never rejects: an error is in the
 * store's state.
 */
export function topicReady<T, F extends string>(store: ReadableAtom<TopicState<T, F>>): Promise<void> | undefined {
  if (isTopicReady(store.get())) return undefined
  const pending = waiting.get(store)
  if (pending) return pending
  let settled = false
  const promise = new Promise<void>((resolve) => {
    const check = (state: TopicState<T, F>): void => {
      if (settled || !isTopicReady(state)) return
      settled = true
      waiting.delete(store)
      resolve()
      const timer = setTimeout(() => off(), HOLD_AFTER_SETTLED)
      // never what keeps a Node process (a server render) alive
      ;(timer as { unref?: () => void }).unref?.()
    }
    const off = store.listen(check)
    // the listener's arrival may itself have settled it (a filter refused at once)
    check(store.get())
  })
  if (!settled) waiting.set(store, promise)
  return promise
}
