// Types of seeds (checked by `tsc -p test/types` in `npm run typecheck`, run by vitest).
import { createClient, type LiveTopicClient, type Seed, type TopicMap, type TopicState } from '@livetopic/core'
import { useTopic, type UseTopicOptions } from '@livetopic/react'
import { liveTopic } from '@livetopic/svelte/runes'
import { describe, expect, expectTypeOf, it } from 'vitest'

interface Chat {
  text: string
}
type Topics = {
  'rooms/+room/messages': Chat
  announcements: string
}

describe('seed types', () => {
  it('types a seed by the client topic map: known filters only, each with its payload', async () => {
    expectTypeOf<Seed<Topics>>().toEqualTypeOf<{ readonly 'rooms/+room/messages'?: Chat; readonly announcements?: string }>()
    const seed: Seed<Topics> = { announcements: 'hi' }
    const live = createClient<Topics>({ url: 'ws://127.0.0.1:9/never-used', seed })
    live.seed({ 'rooms/+room/messages': { text: 'first' } })
    // type-checked only, never run
    const mistakes = (): void => {
      // @ts-expect-error -- a payload of the wrong type
      live.seed({ announcements: 42 })
      // @ts-expect-error -- a filter the map does not declare
      live.seed({ 'rooms/lobby/messages': { text: 'x' } })
      // @ts-expect-error -- also when given to createClient
      createClient<Topics>({ url: 'ws://127.0.0.1:9/never-used', seed: { nope: 1 } })
    }
    expect(typeof mistakes).toBe('function')
    expect(live.topic('announcements').get()).toMatchObject({ data: 'hi', seeded: true })
    expectTypeOf(live.topic('announcements').get().seeded).toEqualTypeOf<true | undefined>()
    // a typed client still fits where a client of any map is expected (adapters' providers)
    const any: LiveTopicClient = live
    expect(any.topic('rooms/+room/messages').get().data).toEqual({ text: 'first' })
    // the Svelte runes helper is typed by the client's map too
    expectTypeOf(liveTopic(live, 'announcements').current.data).toEqualTypeOf<string | undefined>()
    expectTypeOf(liveTopic(live, 'rooms/+room/messages').current.message?.params).toEqualTypeOf<{ readonly room: string } | undefined>()
    expectTypeOf(liveTopic<number>(live, 'other/topic').current.data).toEqualTypeOf<number | undefined>()
    await live.close()
  })

  it('takes any filter and payload without a topic map', async () => {
    expectTypeOf<Seed>().toEqualTypeOf<Seed<TopicMap>>()
    const live = createClient({ url: 'ws://127.0.0.1:9/never-used', seed: { 'any/filter': [1, 2] } })
    live.seed({ other: { n: 1 } })
    expect(live.topic('other').get().data).toEqual({ n: 1 })
    await live.close()
  })
})

describe('useTopic with suspense (types)', () => {
  it('takes suspense beside the store options and returns the same state type', () => {
    const react = (): void => {
      expectTypeOf(useTopic('news/+id', { suspense: true })).toEqualTypeOf<TopicState<unknown, 'news/+id'>>()
      expectTypeOf(useTopic<Chat>('rooms/lobby', { suspense: true, history: 5, throttle: 'frame' }).data).toEqualTypeOf<Chat | undefined>()
      expectTypeOf<UseTopicOptions['suspense']>().toEqualTypeOf<boolean | undefined>()
    }
    expect(typeof react).toBe('function')
  })
})
