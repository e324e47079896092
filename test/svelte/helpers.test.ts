import { createClient, textCodec, type LiveTopicClient } from '@livetopic/core'
import { awsIotProfile } from '@livetopic/core/aws'
import { topic } from '@livetopic/svelte'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import type { Component } from 'svelte'
import { tick } from 'svelte'
import { afterEach, describe, expect, it } from 'vitest'
import { useLive } from '../helpers/live.js'
import { eventually } from '../helpers/wait.js'
import AnyRoom from './AnyRoom.svelte'
import Host from './Host.svelte'
import Publisher from './Publisher.svelte'
import Room from './Room.svelte'
import Who from './Who.svelte'

afterEach(() => cleanup())

const text = (id = 'chat'): string => screen.getByTestId(id).textContent ?? ''
const until = (expected: string, id = 'chat'): Promise<void> => eventually(() => text(id) === expected, 5000, `"${expected}", got "${text(id)}"`)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const mount = (live: LiveTopicClient, child: Component<any>, props: Record<string, unknown> = {}) =>
  render(Host, { props: { client: live, child, ...props } })

describe('@livetopic/svelte', () => {
  it('renders the first message, the wildcard params and the connection', async () => {
    const { live } = await useLive()
    mount(live, AnyRoom)
    await until('subscribed')
    await until('connected', 'connection')
    await live.publish('rooms/lobby/messages', { text: 'hello' }, { qos: 1 })
    await until('lobby: hello')
  })

  it('unsubscribes after unmount', async () => {
    const { live, seen } = await useLive()
    const view = mount(live, Room, { room: 'a' })
    await until('subscribed|-|')
    view.unmount()
    await eventually(() => seen.unsubscribes.length > 0)
    expect(seen.subscribes).toEqual([['rooms/a/messages']])
    expect(seen.unsubscribes).toEqual([['rooms/a/messages']])
  })

  it('resubscribes when the filter changes, showing no stale message', async () => {
    const { live, seen } = await useLive()
    const view = mount(live, Room, { room: 'a' })
    await until('subscribed|-|')
    await live.publish('rooms/a/messages', { text: 'in a' }, { qos: 1 })
    await until('subscribed|in a|')
    await view.rerender({ client: live, child: Room, room: 'b' })
    expect(text()).not.toContain('in a')
    await until('subscribed|-|')
    await live.publish('rooms/b/messages', { text: 'in b' }, { qos: 1 })
    await until('subscribed|in b|')
    await eventually(() => seen.unsubscribes.length > 0)
    expect(seen.subscribes).toEqual([['rooms/a/messages'], ['rooms/b/messages']])
    expect(seen.unsubscribes).toEqual([['rooms/a/messages']])
  })

  it('shows a payload that does not decode as an error, keeping the last data', async () => {
    const { live } = await useLive()
    mount(live, Room, { room: 'a' })
    await until('subscribed|-|')
    await live.publish('rooms/a/messages', { text: 'good' }, { qos: 1 })
    await until('subscribed|good|')
    await live.publish('rooms/a/messages', 'not json {', { qos: 1, codec: textCodec })
    await until('subscribed|good|DECODE_FAILED')
  })

  it('updates once per message', async () => {
    const { live } = await useLive()
    let renders = 0
    mount(live, Room, { room: 'a', onRender: () => void renders++ })
    await until('subscribed|-|')
    for (let i = 1; i <= 5; i++) {
      const before = renders
      await live.publish('rooms/a/messages', { text: `m${i}` }, { qos: 1 })
      await until(`subscribed|m${i}|`)
      await tick()
      expect(renders - before).toBe(1)
    }
  })

  it('publish() sends through the client in context', async () => {
    const { live } = await useLive()
    const store = live.topic<{ text: string }>('rooms/p/messages')
    const off = store.listen(() => {})
    await eventually(() => store.get().status === 'subscribed')
    mount(live, Publisher, { topic: 'rooms/p/messages', payload: { text: 'clicked' } })
    await fireEvent.click(screen.getByRole('button'))
    await eventually(() => store.get().data?.text === 'clicked')
    off()
  })

  it('presence() lists the clients connected, from lifecycle events', async () => {
    const { live, broker } = await useLive({ profile: awsIotProfile })
    mount(live, Who)
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

  it('throws a clear error outside a component with a client', () => {
    expect(() => topic('a')).toThrow()
  })
})
