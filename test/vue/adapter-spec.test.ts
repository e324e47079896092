import type { LiveTopicClient, TopicMap } from '@livetopic/core'
import { iotPresence } from '@livetopic/core/presence'
import { liveTopic, usePresence, usePublish, useTopic, useTopicListener } from '@livetopic/vue'
import { cleanup, render } from '@testing-library/vue'
import { defineComponent, effectScope, h, nextTick, ref, type PropType } from 'vue'
import { afterEach } from 'vitest'
import { describeAdapter, type PublishHandle, type PublishView } from '../adapters/adapter-spec.js'
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

const Toggle = defineComponent({
  props: { on: { type: Boolean, required: true } },
  setup(props) {
    const chat = useTopic<{ text: string }>('rooms/t/messages', { enabled: () => props.on })
    const heard = ref(0)
    useTopicListener(
      () => (props.on ? 'alerts/t' : null),
      () => void heard.value++,
    )
    return () => h('p', { 'data-testid': 'chat' }, `${chat.value.status}|${chat.value.data?.text ?? '-'}|${heard.value}`)
  },
})

const Sender = defineComponent({
  props: { onRender: { type: Function as PropType<(publish: PublishHandle, state: PublishView) => void>, required: true } },
  setup(props) {
    const publish = usePublish<TopicMap>()
    return () => {
      props.onRender(publish, { pending: publish.pending, error: publish.error, acknowledgedAt: publish.acknowledgedAt })
      return h('p')
    }
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
  toggle(live, enabled) {
    const view = mount(live, Toggle, { on: enabled })
    return { setEnabled: (on) => view.rerender({ on }) }
  },
  publisher: (live, onRender) => void mount(live, Sender, { onRender }),
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
