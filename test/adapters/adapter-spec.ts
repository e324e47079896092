// One behaviour spec for the three adapters, run per framework (as test/e2e/support does for the
// examples): test/react/adapter-spec.test.tsx, test/vue/adapter-spec.test.ts,
// test/svelte/adapter-spec.test.ts each give it a harness. Framework-only behaviour (StrictMode,
// SSR, ShallowRef scopes, the store contract) stays in those folders' own tests.
import { createClient, textCodec, type LiveTopicClient } from '@livetopic/core'
import { awsIotProfile } from '@livetopic/core/aws'
import { screen } from '@testing-library/dom'
import { describe, expect, it } from 'vitest'
import { useLive } from '../helpers/live.js'
import { eventually } from '../helpers/wait.js'

/** A rendered component; `setRoom` re-renders a Room with another room. */
interface Mounted {
  unmount(): void
  setRoom(room: string): Promise<void>
}

/** How one framework renders the spec's components, each with the client in its context. */
export interface AdapterHarness {
  name: string
  /** `rooms/+room/messages`: testid `chat` shows `<room>: <text>` or the status; `connection` the connection status. */
  anyRoom(live: LiveTopicClient): void
  /** `rooms/<room>/messages`: testid `chat` shows `status|text or -|error code`; `onRender` runs on every render. */
  room(live: LiveTopicClient, room: string, onRender?: () => void): Mounted
  /** The presence helper: testid `chat` shows `status:clientId,…`. */
  who(live: LiveTopicClient): void
  /** Runs a change that re-renders (React wraps it in `act`). */
  act(change: () => Promise<unknown>): Promise<void>
  /** Lets the framework flush a pending render (Vue's nextTick, Svelte's tick). */
  flush(): Promise<void>
  /** Uses the adapter with no client in context. */
  withoutClient(): void
  /** What that error says (undefined: the framework's own error comes first). */
  withoutClientError?: RegExp
}

const text = (id = 'chat'): string => screen.getByTestId(id).textContent ?? ''
const until = (expected: string, id = 'chat'): Promise<void> => eventually(() => text(id) === expected, 5000, `"${expected}", got "${text(id)}"`)

export function describeAdapter(h: AdapterHarness): void {
  describe(`@livetopic/${h.name} (shared adapter spec)`, () => {
    it('renders the first message, the wildcard params and the connection', async () => {
      const { live } = await useLive()
      h.anyRoom(live)
      await until('subscribed')
      await until('connected', 'connection')
      await h.act(() => live.publish('rooms/lobby/messages', { text: 'hello' }, { qos: 1 }))
      await until('lobby: hello')
    })

    it('unsubscribes after unmount', async () => {
      const { live, seen } = await useLive()
      const view = h.room(live, 'a')
      await until('subscribed|-|')
      view.unmount()
      await eventually(() => seen.unsubscribes.length > 0)
      expect(seen.subscribes).toEqual([['rooms/a/messages']])
      expect(seen.unsubscribes).toEqual([['rooms/a/messages']])
    })

    it('resubscribes when the filter changes, showing no stale message', async () => {
      const { live, seen } = await useLive()
      const view = h.room(live, 'a')
      await until('subscribed|-|')
      await h.act(() => live.publish('rooms/a/messages', { text: 'in a' }, { qos: 1 }))
      await until('subscribed|in a|')
      await view.setRoom('b')
      expect(text()).not.toContain('in a')
      await until('subscribed|-|')
      await h.act(() => live.publish('rooms/b/messages', { text: 'in b' }, { qos: 1 }))
      await until('subscribed|in b|')
      await eventually(() => seen.unsubscribes.length > 0)
      expect(seen.subscribes).toEqual([['rooms/a/messages'], ['rooms/b/messages']])
      expect(seen.unsubscribes).toEqual([['rooms/a/messages']])
    })

    it('shows a payload that does not decode as an error, keeping the last data', async () => {
      const { live } = await useLive()
      h.room(live, 'a')
      await until('subscribed|-|')
      await h.act(() => live.publish('rooms/a/messages', { text: 'good' }, { qos: 1 }))
      await until('subscribed|good|')
      await h.act(() => live.publish('rooms/a/messages', 'not json {', { qos: 1, codec: textCodec }))
      await until('subscribed|good|DECODE_FAILED')
    })

    it('renders once per message', async () => {
      const { live } = await useLive()
      let renders = 0
      h.room(live, 'a', () => void renders++)
      await until('subscribed|-|')
      for (let i = 1; i <= 5; i++) {
        const before = renders
        await h.act(() => live.publish('rooms/a/messages', { text: `m${i}` }, { qos: 1 }))
        await until(`subscribed|m${i}|`)
        await h.flush()
        expect(renders - before).toBe(1)
      }
    })

    it('lists the clients connected, from lifecycle events (presence)', async () => {
      const { live, broker } = await useLive({ profile: awsIotProfile })
      h.who(live)
      await until('subscribed:')
      const other = createClient({ url: broker.url, clientId: 'other-1' })
      try {
        other.connect()
        await until('subscribed:other-1')
      } finally {
        await other.close()
      }
      await until('subscribed:')
    })

    it('throws a clear error when no client was provided', () => {
      if (h.withoutClientError) expect(() => h.withoutClient()).toThrow(h.withoutClientError)
      else expect(() => h.withoutClient()).toThrow()
    })
  })
}
