// Typed topics, registered once for the app; checked by `npm run typecheck` and run by vitest.
import { createClient, textCodec, type ConnectionState, type RegisteredTopics, type TopicState, type TopicStore } from '@livetopic/core'
import { LiveTopicProvider, useConnection, usePublish, useTopic, useTopicListener } from '@livetopic/react'
import { publish, topic } from '@livetopic/svelte'
import { liveTopic, usePublish as useVuePublish, useTopic as useVueTopic } from '@livetopic/vue'
import { render as renderSvelte } from '@testing-library/svelte'
import { cleanup, renderHook } from '@testing-library/react'
import type { ReactNode } from 'react'
import { createApp, effectScope, ref, type ShallowRef } from 'vue'
import { afterAll, afterEach, describe, expect, expectTypeOf, it } from 'vitest'
import Host from '../svelte/Host.svelte'
import Probe from '../svelte/Probe.svelte'

interface ChatMessage {
  text: string
  from: string
}
interface Telemetry {
  t: number
}

declare module '@livetopic/core' {
  interface Register {
    topics: {
      'typed/rooms/+room/messages': ChatMessage
      'typed/devices/+id/telemetry': Telemetry
    }
  }
}

// a typed client from the same map: `live.topic(...)` is typed too, and the adapters accept it
const live = createClient<RegisteredTopics>({ url: 'ws://127.0.0.1:9/never-used' })
afterEach(() => cleanup())
afterAll(() => live.close())

describe('typed topics', () => {
  it('types React hooks from the registered map', () => {
    const wrapper = ({ children }: { children: ReactNode }): ReactNode => <LiveTopicProvider client={live}>{children}</LiveTopicProvider>
    const { result } = renderHook(
      () => {
        const chat = useTopic('typed/rooms/+room/messages')
        expectTypeOf(chat).toEqualTypeOf<TopicState<ChatMessage, 'typed/rooms/+room/messages'>>()
        expectTypeOf(chat.message?.params).toEqualTypeOf<{ readonly room: string } | undefined>()
        expectTypeOf(chat.data).toEqualTypeOf<ChatMessage | undefined>()
        expectTypeOf(useTopic('typed/devices/+id/telemetry', { throttle: 'frame' }).message?.payload).toEqualTypeOf<Telemetry | undefined>()
        // not in the map: unknown, or what the call says
        expectTypeOf(useTopic('elsewhere/x').data).toEqualTypeOf<unknown>()
        expectTypeOf(useTopic<number>('elsewhere/y').data).toEqualTypeOf<number | undefined>()
        expectTypeOf(useTopic('elsewhere/z', { codec: textCodec }).data).toEqualTypeOf<string | undefined>()
        useTopicListener('typed/rooms/+room/messages', (message) => {
          expectTypeOf(message.payload).toEqualTypeOf<ChatMessage>()
          expectTypeOf(message.params).toEqualTypeOf<{ readonly room: string }>()
        })
        // not in the map: params from the literal filter all the same, any name for a run-time string
        expectTypeOf(useTopic('elsewhere/+a/#rest').message?.params).toEqualTypeOf<{ readonly a: string; readonly rest: string } | undefined>()
        expectTypeOf(useTopic<number>('elsewhere/+a').message?.params).toEqualTypeOf<Readonly<Record<string, string>> | undefined>()
        expectTypeOf(useConnection()).toEqualTypeOf<ConnectionState>()
        // @ts-expect-error -- `nope` is not a field of ChatMessage
        void chat.data?.nope
        // @ts-expect-error -- the filter names no wildcard `id`
        void chat.message?.params.id
        return chat.status
      },
      { wrapper },
    )
    expect(result.current).toMatch(/^(idle|subscribing)$/)
  })

  it('types Vue composables from the registered map, with a getter filter too', () => {
    const app = createApp({})
    app.use(liveTopic(live))
    const scope = effectScope()
    const status = app.runWithContext(() =>
      scope.run(() => {
        const chat = useVueTopic('typed/rooms/+room/messages')
        expectTypeOf(chat).toEqualTypeOf<Readonly<ShallowRef<TopicState<ChatMessage, 'typed/rooms/+room/messages'>>>>()
        expectTypeOf(chat.value.message?.params).toEqualTypeOf<{ readonly room: string } | undefined>()
        expectTypeOf(useVueTopic('elsewhere/+a/#rest').value.message?.params).toEqualTypeOf<{ readonly a: string; readonly rest: string } | undefined>()
        const room = ref('typed/devices/+id/telemetry' as const)
        expectTypeOf(useVueTopic(room).value.data).toEqualTypeOf<Telemetry | undefined>()
        expectTypeOf(useVueTopic(() => 'typed/rooms/+room/messages' as const).value.data).toEqualTypeOf<ChatMessage | undefined>()
        expectTypeOf(useVueTopic('elsewhere/x').value.data).toEqualTypeOf<unknown>()
        return chat.value.status
      }),
    )
    scope.stop()
    expect(status).toBe('subscribing')
  })

  it('types Svelte helpers from the registered map', () => {
    let status = ''
    renderSvelte(Host, {
      props: {
        client: live,
        child: Probe,
        run: () => {
          const chat = topic('typed/rooms/+room/messages')
          expectTypeOf(chat).toEqualTypeOf<TopicStore<ChatMessage, 'typed/rooms/+room/messages'>>()
          expectTypeOf(chat.get().message?.params).toEqualTypeOf<{ readonly room: string } | undefined>()
          expectTypeOf(topic('elsewhere/x')).toEqualTypeOf<TopicStore<unknown, 'elsewhere/x'>>()
          expectTypeOf(topic('elsewhere/+a/#rest').get().message?.params).toEqualTypeOf<{ readonly a: string; readonly rest: string } | undefined>()
          status = chat.get().status
        },
      },
    }).unmount()
    expect(status).toMatch(/^(idle|subscribing)$/)
  })

  it('types the typed client itself', () => {
    expectTypeOf(live.topic('typed/rooms/+room/messages')).toEqualTypeOf<TopicStore<ChatMessage, 'typed/rooms/+room/messages'>>()
    // named wildcards become params, plain `+` and `#` give none
    expectTypeOf(live.topic('a/+room/#rest').get().message?.params).toEqualTypeOf<{ readonly room: string; readonly rest: string } | undefined>()
    expectTypeOf(live.topic('a/+/#').get().message?.params).toEqualTypeOf<Record<never, string> | undefined>()
    // type-checked only: calling it would open the (never used) socket
    type DeviceMessage = Parameters<Parameters<typeof live.onMessage<unknown, 'devices/+id/#'>>[1]>[0]
    expectTypeOf<DeviceMessage['params']>().toEqualTypeOf<{ readonly id: string }>()
  })

  it('types publish from the registered map, in the client and every adapter (type-checked only)', () => {
    const room = 'lobby' as string
    const calls = (): unknown[] => {
      const react = usePublish()
      const vue = useVuePublish()
      const svelte = publish()
      return [
        live.publish(`typed/rooms/${room}/messages`, { text: 'hi', from: 'me' }),
        react('typed/devices/d1/telemetry', { t: 1 }),
        vue(`typed/rooms/${room}/messages`, { text: 'hi', from: 'me' }),
        svelte('typed/devices/d1/telemetry', { t: 2 }),
        // @ts-expect-error -- `from` is missing
        live.publish('typed/rooms/a/messages', { text: 'hi' }),
        // @ts-expect-error -- not in the registered map
        react('elsewhere/x', 1),
        // @ts-expect-error -- telemetry is `{ t: number }`
        vue('typed/devices/d1/telemetry', { t: 'hot' }),
        // @ts-expect-error -- the room level is missing
        svelte('typed/rooms/messages', { text: 'hi', from: 'me' }),
      ]
    }
    expect(typeof calls).toBe('function')
  })
})
