// Svelte-only behaviour; what every adapter does is in ../adapters/adapter-spec.ts (run by adapter-spec.test.ts)
import type { LiveTopicClient } from '@livetopic/core'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import type { Component } from 'svelte'
import { afterEach, describe, it } from 'vitest'
import { useLive } from '../helpers/live.js'
import { eventually } from '../helpers/wait.js'
import Host from './Host.svelte'
import Publisher from './Publisher.svelte'

afterEach(() => cleanup())

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Host takes any child component
const mount = (live: LiveTopicClient, child: Component<any>, props: Record<string, unknown> = {}) => render(Host, { props: { client: live, child, ...props } })

describe('@livetopic/svelte', () => {
  it('publish() sends through the client in context', async () => {
    const { live } = await useLive()
    const store = live.topic<{ text: string }>('rooms/p/messages')
    const off = store.listen(() => {})
    await eventually(() => store.get().status === 'subscribed')
    mount(live, Publisher, { topic: 'rooms/p/messages', payload: { text: 'clicked' } })
    await fireEvent.click(screen.getByRole('button'))
    await eventually(() => store.get().data?.text === 'clicked')
    off()
  })
})
