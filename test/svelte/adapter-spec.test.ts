import type { LiveTopicClient } from '@livetopic/core'
import { topic } from '@livetopic/svelte'
import { cleanup, render } from '@testing-library/svelte'
import { tick, type Component } from 'svelte'
import { afterEach } from 'vitest'
import { describeAdapter } from '../adapters/adapter-spec.js'
import AnyRoom from './AnyRoom.svelte'
import Host from './Host.svelte'
import Room from './Room.svelte'
import Sender from './Sender.svelte'
import Toggle from './Toggle.svelte'
import Who from './Who.svelte'

afterEach(() => cleanup())

// Host puts the client in context (setLiveTopicClient), as an app's root layout does
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Host takes any child component
const mount = (live: LiveTopicClient, child: Component<any>, props: Record<string, unknown> = {}) => render(Host, { props: { client: live, child, ...props } })

describeAdapter({
  name: 'svelte',
  anyRoom: (live) => void mount(live, AnyRoom),
  room(live, room, onRender) {
    const view = mount(live, Room, { room, onRender })
    return { unmount: () => view.unmount(), setRoom: (next) => view.rerender({ client: live, child: Room, room: next, onRender }) }
  },
  who: (live) => void mount(live, Who),
  toggle(live, enabled) {
    const view = mount(live, Toggle, { on: enabled })
    return { setEnabled: (on) => view.rerender({ client: live, child: Toggle, on }) }
  },
  publisher: (live, onRender) => void mount(live, Sender, { onRender }),
  act: async (change) => void (await change()),
  flush: () => tick(),
  // outside a component Svelte's own lifecycle error comes first
  withoutClient: () => void topic('a'),
})
