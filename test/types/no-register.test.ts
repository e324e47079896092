// Types without a `Register` map (checked by `tsc -p test/types` in `npm run typecheck`, run by vitest).
import { createClient, textCodec, type RegisteredFilter, type RegisteredTopics, type TopicMap, type TopicState, type TopicStore } from '@livetopic/core'
import { useTopic, useTopicListener } from '@livetopic/react'
import { topic } from '@livetopic/svelte'
import { useTopic as useVueTopic } from '@livetopic/vue'
import { describe, expect, expectTypeOf, it } from 'vitest'

interface ChatMessage {
  text: string
}

describe('types with no declared topic map', () => {
  it('falls back to the catch-all map: any filter, unknown payload unless the call names one', () => {
    expectTypeOf<RegisteredTopics>().toEqualTypeOf<TopicMap>()
    expectTypeOf<RegisteredFilter>().toEqualTypeOf<never>()
    const live = createClient({ url: 'ws://127.0.0.1:9/never-used' })
    const chat = live.topic('rooms/+room/messages')
    expectTypeOf(chat).toEqualTypeOf<TopicStore<unknown, 'rooms/+room/messages'>>()
    expectTypeOf(chat.get().message?.params).toEqualTypeOf<{ readonly room: string } | undefined>()
    expectTypeOf(live.topic<ChatMessage>('rooms/lobby').get().data).toEqualTypeOf<ChatMessage | undefined>()
    expectTypeOf(live.topic('notes', { codec: textCodec }).get().data).toEqualTypeOf<string | undefined>()
    // a one-off get() opens no socket: the store is idle and the client never connected
    expect(chat.get().status).toBe('idle')
    expect(live.status.get().status).toBe('idle')
    return live.close()
  })

  it('types the adapters alike (type-checked only: hooks need a component)', () => {
    const react = (): void => {
      expectTypeOf(useTopic('rooms/+room/messages')).toEqualTypeOf<TopicState<unknown, 'rooms/+room/messages'>>()
      expectTypeOf(useTopic<ChatMessage>('rooms/+room/messages').data).toEqualTypeOf<ChatMessage | undefined>()
      expectTypeOf(useTopic('a/+/#').message?.params).toEqualTypeOf<Record<never, string> | undefined>()
      useTopicListener<ChatMessage>('alerts/#', (message) => expectTypeOf(message.payload).toEqualTypeOf<ChatMessage>())
    }
    const vue = (): void => {
      expectTypeOf(useVueTopic('devices/+id/#rest').value.message?.params).toEqualTypeOf<{ readonly id: string; readonly rest: string } | undefined>()
      expectTypeOf(useVueTopic<ChatMessage>(() => 'rooms/lobby').value.data).toEqualTypeOf<ChatMessage | undefined>()
    }
    const svelte = (): void => {
      expectTypeOf(topic('rooms/+room')).toEqualTypeOf<TopicStore<unknown, 'rooms/+room'>>()
      expectTypeOf(topic<ChatMessage>('rooms/lobby').get().data).toEqualTypeOf<ChatMessage | undefined>()
    }
    expect([react, vue, svelte].map((check) => typeof check)).toEqual(['function', 'function', 'function'])
  })
})
