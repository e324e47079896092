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

/** A switch for `toggle`'s component: turns its topic and listener on or off (re-rendering). */
interface Toggle {
  setEnabled(enabled: boolean): Promise<void>
}

/** What a rendered `usePublish` shows, read from the adapter's callable. */
export interface PublishView {
  pending: number
  error?: { code: string }
  acknowledgedAt?: number
}

/** The adapter's publish callable, called as a plain function (any topic: the harness asks for `TopicMap`). */
export interface PublishHandle {
  (topic: string, payload: unknown, options?: { qos?: 0 | 1 }): Promise<void>
  reset(): void
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
  /**
   * `rooms/t/messages` through the topic hook with `enabled`, and `alerts/t` through the listener
   * hook with a filter that is `null` while disabled: testid `chat` shows `status|text or -|alerts heard`.
   */
  toggle(live: LiveTopicClient, enabled: boolean): Toggle
  /** `usePublish` (any topic): `onRender` gets the callable and its state on every render. */
  publisher(live: LiveTopicClient, onRender: (publish: PublishHandle, state: PublishView) => void): void
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

    it('subscribes nothing while disabled, once when enabled, and unsubscribes when disabled again', async () => {
      const { live, seen, broker } = await useLive()
      const view = h.toggle(live, false)
      await h.flush()
      expect(text()).toBe('idle|-|0')
      // a QoS 1 round trip on the same socket: a SUBSCRIBE sent before it would have reached the broker
      await live.publish('elsewhere', 'ping', { qos: 1 })
      expect(seen.subscribes).toEqual([])
      await view.setEnabled(true)
      await until('subscribed|-|0')
      // one SUBSCRIBE packet or two: the client may batch them
      await eventually(() => seen.subscribes.flat().length === 2)
      expect(seen.subscribes.flat().sort()).toEqual(['alerts/t', 'rooms/t/messages'])
      const other = createClient({ url: broker.url })
      try {
        await h.act(() => other.publish('rooms/t/messages', { text: 'on' }, { qos: 1 }))
        await h.act(() => other.publish('alerts/t', { level: 1 }, { qos: 1 }))
        await until('subscribed|on|1')
        await view.setEnabled(false)
        expect(text()).toBe('idle|-|1')
        await eventually(() => seen.unsubscribes.flat().length === 2)
        expect(seen.unsubscribes.flat().sort()).toEqual(['alerts/t', 'rooms/t/messages'])
        // off: what arrives now reaches neither hook
        await other.publish('alerts/t', { level: 2 }, { qos: 1 })
        await live.publish('elsewhere', 'ping', { qos: 1 })
        await h.flush()
        expect(text()).toBe('idle|-|1')
        expect(seen.subscribes.flat()).toHaveLength(2)
      } finally {
        await other.close()
      }
    })

    it('gives usePublish state: pending, acknowledged, the last error, reset, one render per change', async () => {
      const { broker } = await useLive()
      // the first connect waits for this gate, so the publish stays pending until the test opens it
      let open = (): void => {}
      const gate = new Promise<void>((resolve) => (open = resolve))
      const live = createClient({ url: () => gate.then(() => broker.url) })
      try {
        const renders: string[] = []
        let publish: PublishHandle | undefined
        h.publisher(live, (handle, s) => {
          publish = handle
          renders.push(`${s.pending}|${s.error?.code ?? '-'}|${s.acknowledgedAt ? 'acked' : '-'}`)
        })
        await h.flush()
        expect(renders).toEqual(['0|-|-'])
        let sent: Promise<void> = Promise.resolve()
        await h.act(() => {
          sent = publish!('rooms/p/messages', { text: 'x' }, { qos: 1 })
          return Promise.resolve()
        })
        await h.flush()
        expect(renders).toEqual(['0|-|-', '1|-|-'])
        await h.act(() => {
          open()
          return sent
        })
        await h.flush()
        expect(renders).toEqual(['0|-|-', '1|-|-', '0|-|acked'])
        // a bad topic: the promise rejects with the LiveTopicError, which the state keeps
        let failure: unknown
        await h.act(() => publish!('rooms/+/messages', {}).catch((error: unknown) => void (failure = error)))
        await h.flush()
        expect(failure).toMatchObject({ name: 'LiveTopicError', code: 'INVALID_TOPIC' })
        expect(renders.at(-1)).toBe('0|INVALID_TOPIC|acked')
        // one render per change: never the same state twice in a row
        expect(renders.filter((r, i) => r === renders[i - 1])).toEqual([])
        const before = renders.length
        await h.act(() => Promise.resolve(publish!.reset()))
        await h.flush()
        expect(renders.slice(before)).toEqual(['0|-|-'])
        // nothing to forget: no render
        await h.act(() => Promise.resolve(publish!.reset()))
        await h.flush()
        expect(renders.slice(before)).toEqual(['0|-|-'])
      } finally {
        await live.close()
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
