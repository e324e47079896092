import { createClient, textCodec, type LiveTopicClient } from '@livetopic/core'
import { awsIotProfile } from '@livetopic/core/aws'
import { liveTopic, usePresence, usePublish, useTopic, useTopicListener } from '@livetopic/vue'
import { cleanup, render, screen } from '@testing-library/vue'
import { createApp, defineComponent, effectScope, h, nextTick, ref } from 'vue'
import { afterEach, describe, expect, it } from 'vitest'
import { useLive } from '../helpers/live.js'
import { eventually } from '../helpers/wait.js'
import AnyRoom from './AnyRoom.vue'
import Room from './Room.vue'

afterEach(() => cleanup())

const text = (id = 'chat'): string => screen.getByTestId(id).textContent ?? ''
const until = (expected: string, id = 'chat'): Promise<void> => eventually(() => text(id) === expected, 5000, `"${expected}", got "${text(id)}"`)
const mount = (live: LiveTopicClient, component: object, props: Record<string, unknown> = {}) =>
  render(component, { props, global: { plugins: [liveTopic(live)] } })

describe('@livetopic/vue', () => {
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
    await view.rerender({ room: 'b' })
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

  it('renders once per message', async () => {
    const { live } = await useLive()
    let renders = 0
    mount(live, Room, { room: 'a', onRender: () => void renders++ })
    await until('subscribed|-|')
    for (let i = 1; i <= 5; i++) {
      const before = renders
      await live.publish('rooms/a/messages', { text: `m${i}` }, { qos: 1 })
      await until(`subscribed|m${i}|`)
      await nextTick()
      expect(renders - before).toBe(1)
    }
  })

  it('works in an effectScope: a ref filter, a listener, and cleanup when the scope stops', async () => {
    const { live, seen } = await useLive()
    const app = createApp({})
    app.use(liveTopic(live))
    const scope = effectScope()
    const room = ref('x')
    const heard: string[] = []
    const chat = app.runWithContext(() => scope.run(() => {
      useTopicListener<{ text: string }>(room, (m) => heard.push(`${m.topic}:${m.payload.text}`))
      return useTopic<{ text: string }>(room, { history: 10 })
    }))!
    const publish = app.runWithContext(() => usePublish())
    await eventually(() => chat.value.status === 'subscribed')
    await publish('x', { text: 'one' }, { qos: 1 })
    await eventually(() => chat.value.data?.text === 'one' && heard.length === 1)
    room.value = 'y'
    expect(chat.value.data).toBeUndefined()
    await eventually(() => chat.value.status === 'subscribed')
    await publish('y', { text: 'two' }, { qos: 1 })
    await eventually(() => chat.value.data?.text === 'two' && heard.length === 2)
    expect(heard).toEqual(['x:one', 'y:two'])
    scope.stop()
    await eventually(() => seen.unsubscribes.flat().includes('y'))
    expect(seen.subscribes.flat()).toEqual(['x', 'y'])
  })

  it('usePresence lists the clients connected, from lifecycle events', async () => {
    const { live, broker } = await useLive({ profile: awsIotProfile })
    const Who = defineComponent({
      setup() {
        const who = usePresence()
        return () => h('p', { 'data-testid': 'chat' }, `${who.value.status}:${who.value.members.map((m) => m.clientId).join(',')}`)
      },
    })
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

  it('throws a clear error without the plugin', () => {
    const scope = effectScope()
    expect(() => scope.run(() => useTopic('a'))).toThrow(/liveTopic\(client\)/)
    scope.stop()
  })
})
