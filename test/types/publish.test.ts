// Typed publish and conditional topics without a `Register` map (checked by `tsc -p test/types`, run by vitest).
import {
  conditionalTopicView,
  createClient,
  idleTopicState,
  publisherState,
  type LiveTopicClient,
  type IdleTopicState,
  type PublishOptions,
  type PublishPayload,
  type PublishTopic,
  type TopicMap,
  type TopicState,
  type TopicTemplate,
} from '@livetopic/core'
import { usePublish, useTopic, useTopicListener } from '@livetopic/react'
import { publish, topic } from '@livetopic/svelte'
import { liveTopic } from '@livetopic/svelte/runes'
import { usePublish as useVuePublish, useTopic as useVueTopic } from '@livetopic/vue'
import { describe, expect, expectTypeOf, it } from 'vitest'

interface Chat {
  text: string
}
interface Alert {
  level: number
}
interface Stamped {
  at: number
}
// a type, not an interface: a topic map is a Record (an interface has no index signature)
type Topics = {
  'rooms/+room/messages': Chat
  'alerts/#rest': Alert
  'alerts/+kind/stamped': Stamped
  'status/+': boolean
}

describe('typed publish', () => {
  it('derives topic templates from named and plain wildcards', () => {
    expectTypeOf<TopicTemplate<'rooms/+room/messages'>>().toEqualTypeOf<`rooms/${string}/messages`>()
    expectTypeOf<TopicTemplate<'a/+/b'>>().toEqualTypeOf<`a/${string}/b`>()
    // a trailing `#` matches its parent level too
    expectTypeOf<TopicTemplate<'alerts/#rest'>>().toEqualTypeOf<`alerts/${string}` | 'alerts'>()
    expectTypeOf<TopicTemplate<'plain/topic'>>().toEqualTypeOf<'plain/topic'>()
    expectTypeOf<PublishTopic<TopicMap>>().toEqualTypeOf<string>()
    // alerts/x/stamped matches `alerts/#rest` and `alerts/+kind/stamped`: either payload
    expectTypeOf<PublishPayload<Topics, 'alerts/x/stamped'>>().toEqualTypeOf<Alert | Stamped>()
    expectTypeOf<PublishPayload<Topics, 'alerts/x'>>().toEqualTypeOf<Alert>()
    expectTypeOf<PublishPayload<TopicMap, 'anything'>>().toEqualTypeOf<unknown>()
  })

  it('checks the topic and the payload of a typed client, and lets an untyped one publish anything', () => {
    const typed = createClient<Topics>({ url: 'ws://127.0.0.1:9/never-used' })
    const untyped = createClient({ url: 'ws://127.0.0.1:9/never-used' })
    const room = 'lobby' as string
    // type-checked only: a call would connect
    const calls = (): unknown[] => [
      typed.publish('rooms/lobby/messages', { text: 'hi' }),
      typed.publish(`rooms/${room}/messages`, { text: 'hi' }, { qos: 1 }),
      typed.publish('alerts', { level: 1 }),
      typed.publish('alerts/fire/stamped', { at: 0 }),
      typed.publish('status/door', true),
      // @ts-expect-error -- a Chat has `text`, not `body`
      typed.publish('rooms/lobby/messages', { body: 'hi' }),
      // @ts-expect-error -- no filter of the map matches this topic
      typed.publish('elsewhere', { text: 'hi' }),
      // @ts-expect-error -- `status/+` takes one level only
      typed.publish('status', true),
      // @ts-expect-error -- neither an Alert nor a Stamped
      typed.publish('alerts/fire/stamped', { at: 'now' }),
      untyped.publish('any/topic', { whatever: 1 }),
      untyped.publish(`rooms/${room}`, 'text'),
    ]
    expect(typeof calls).toBe('function')
    // a typed client still fits where any client is expected (the adapters' providers)
    const anyClient: ReturnType<typeof createClient> = typed
    expectTypeOf<Parameters<ReturnType<typeof publisherState<Topics>>['publish']>[0]>().toEqualTypeOf<PublishTopic<Topics>>()
    expectTypeOf(publisherState(untyped).publish).parameters.toEqualTypeOf<[topic: string, payload: unknown, options?: PublishOptions]>()
    return Promise.all([anyClient.close(), untyped.close()])
  })

  it('types the adapters: any topic without a map, the given map with one (type-checked only)', () => {
    const react = (): void => {
      const send = usePublish()
      void send('any/topic', 1)
      expectTypeOf(send.pending).toEqualTypeOf<number>()
      expectTypeOf(send.acknowledgedAt).toEqualTypeOf<number | undefined>()
      expectTypeOf(send.error?.code).toEqualTypeOf<import('@livetopic/core').LiveTopicErrorCode | undefined>()
      const typedSend = usePublish<Topics>()
      void typedSend('rooms/a/messages', { text: 'x' })
      // @ts-expect-error -- the payload of rooms/+room/messages is a Chat
      void typedSend('rooms/a/messages', 42)
      // @ts-expect-error -- not a topic of the map
      void typedSend('nope', 42)
    }
    const vue = (): void => {
      const send = useVuePublish<Topics>()
      void send('status/x', false)
      expectTypeOf(send.pending).toEqualTypeOf<number>()
      // @ts-expect-error -- the payload of status/+ is a boolean
      void send('status/x', 'yes')
    }
    const svelte = (): void => {
      const send = publish<Topics>()
      void send('alerts', { level: 3 })
      expectTypeOf(send.get().pending).toEqualTypeOf<number>()
      // @ts-expect-error -- not a topic of the map
      void send('rooms/a', { text: 'x' })
      void publish()('any/topic', null)
    }
    expect([react, vue, svelte].map((check) => typeof check)).toEqual(['function', 'function', 'function'])
  })
})

describe('conditional topics', () => {
  it('types a null filter as the idle state, a maybe-null one as the topic state (type-checked only)', () => {
    const room = null as string | null
    const react = (): void => {
      expectTypeOf(useTopic(null)).toEqualTypeOf<IdleTopicState>()
      expectTypeOf(useTopic(null).data).toEqualTypeOf<undefined>()
      expectTypeOf(useTopic<Chat>(room && `rooms/${room}`).data).toEqualTypeOf<Chat | undefined>()
      expectTypeOf(useTopic<Chat>('rooms/a', { enabled: false }).data).toEqualTypeOf<Chat | undefined>()
      expectTypeOf(useTopic('rooms/+room', { enabled: false })).toEqualTypeOf<TopicState<unknown, 'rooms/+room'>>()
      useTopicListener<Chat>(room, (message) => expectTypeOf(message.payload).toEqualTypeOf<Chat>(), { enabled: room !== 'x' })
    }
    const vue = (): void => {
      expectTypeOf(useVueTopic(null).value.data).toEqualTypeOf<undefined>()
      expectTypeOf(useVueTopic<Chat>(() => room, { enabled: () => true }).value.data).toEqualTypeOf<Chat | undefined>()
    }
    const svelte = (): void => {
      expectTypeOf(topic(null).get()).toEqualTypeOf<IdleTopicState>()
      expectTypeOf(topic<Chat>(room, { enabled: false }).get().data).toEqualTypeOf<Chat | undefined>()
    }
    const runes = (live: LiveTopicClient): void => {
      expectTypeOf(liveTopic(live, null).current.status).toEqualTypeOf<'idle'>()
      expectTypeOf(liveTopic<Chat>(live, room, { enabled: true }).current.data).toEqualTypeOf<Chat | undefined>()
    }
    expect([react, vue, svelte, runes].map((check) => typeof check)).toEqual(['function', 'function', 'function', 'function'])
  })

  it('gives one frozen idle store that never subscribes', () => {
    const live = createClient({ url: 'ws://127.0.0.1:9/never-used' })
    const off = conditionalTopicView(live, null).subscribe(() => {})
    const disabled = conditionalTopicView(live, 'rooms/a', { enabled: false })
    expect(disabled).toBe(conditionalTopicView(live, undefined))
    expect(disabled.get()).toBe(idleTopicState)
    expect(Object.isFrozen(idleTopicState)).toBe(true)
    off()
    // nothing listened to a real topic: the client never started connecting
    expect(live.status.get().status).toBe('idle')
    return live.close()
  })
})
