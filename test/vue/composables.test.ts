// Vue-only behaviour; what every adapter does is in ../adapters/adapter-spec.ts (run by adapter-spec.test.ts)
import type { TopicMap } from '@livetopic/core'
import { liveTopic, usePublish, useTopic, useTopicListener } from '@livetopic/vue'
import { createApp, effectScope, ref } from 'vue'
import { describe, expect, it } from 'vitest'
import { useLive } from '../helpers/live.js'
import { eventually } from '../helpers/wait.js'

describe('@livetopic/vue', () => {
  it('works in an effectScope: a ref filter, a listener, and cleanup when the scope stops', async () => {
    const { live, seen } = await useLive()
    const app = createApp({})
    app.use(liveTopic(live))
    const scope = effectScope()
    const room = ref('x')
    const heard: string[] = []
    const chat = app.runWithContext(() =>
      scope.run(() => {
        useTopicListener<{ text: string }>(room, (m) => heard.push(`${m.topic}:${m.payload.text}`))
        return useTopic<{ text: string }>(room, { history: 10 })
      }),
    )!
    const publish = app.runWithContext(() => usePublish<TopicMap>())
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
})
