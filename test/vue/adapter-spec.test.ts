import type { LiveTopicClient } from '@livetopic/core'
import { iotPresence } from '@livetopic/core/presence'
import { liveTopic, usePresence, useTopic } from '@livetopic/vue'
import { cleanup, render } from '@testing-library/vue'
import { defineComponent, effectScope, h, nextTick } from 'vue'
import { afterEach } from 'vitest'
import { describeAdapter } from '../adapters/adapter-spec.js'
import AnyRoom from './AnyRoom.vue'
import Room from './Room.vue'

afterEach(() => cleanup())

const mount = (live: LiveTopicClient, component: object, props: Record<string, unknown> = {}) =>
  render(component, { props, global: { plugins: [liveTopic(live)] } })

const lifecycle = iotPresence()

const Who = defineComponent({
  setup() {
    const { status, members } = usePresence({ strategy: lifecycle })
    const others = (): string =>
      members.value
        .filter((m) => !m.isMe)
        .map((m) => m.id)
        .join(',')
    return () => h('p', { 'data-testid': 'chat' }, `${status.value}:${others()}`)
  },
})

describeAdapter({
  name: 'vue',
  anyRoom: (live) => void mount(live, AnyRoom),
  room(live, room, onRender) {
    const view = mount(live, Room, { room, ...(onRender ? { onRender } : {}) })
    return { unmount: () => view.unmount(), setRoom: (next) => view.rerender({ room: next }) }
  },
  who: (live) => void mount(live, Who),
  act: async (change) => void (await change()),
  flush: () => nextTick(),
  withoutClient() {
    const scope = effectScope()
    try {
      scope.run(() => useTopic('a'))
    } finally {
      scope.stop()
    }
  },
  withoutClientError: /liveTopic\(client\)/,
})
