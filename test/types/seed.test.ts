// Types of seeds (checked by `tsc -p test/types` in `npm run typecheck`, run by vitest).
import { createClient, type LiveTopicClient, type Seed, type TopicMap } from '@livetopic/core'
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
