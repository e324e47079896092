import { textCodec } from '@livetopic/core'
import { screen } from '@testing-library/dom'
import { VERSION } from 'svelte/compiler'
import { derived, get } from 'svelte/store'
import { afterEach, describe, expect, it } from 'vitest'
import { useLive } from '../helpers/live.js'
import { eventually } from '../helpers/wait.js'
import ProbeComponent from './Probe.svelte'
import SenderComponent from './Sender.svelte'

// this project resolves `svelte` (and so @livetopic/svelte's own imports) to Svelte 4 (`svelte-4`)
interface Svelte4Component {
  $destroy(): void
}
const Probe = ProbeComponent as unknown as new (options: { target: Element; props: Record<string, unknown> }) => Svelte4Component

const Sender = SenderComponent as unknown as typeof Probe

const mounted: Svelte4Component[] = []
afterEach(() => {
  for (const component of mounted.splice(0)) component.$destroy()
  document.body.innerHTML = ''
})

describe('@livetopic/svelte on Svelte 4', () => {
  it('runs on Svelte 4', () => {
    expect(VERSION.startsWith('4.')).toBe(true)
  })

  it('a Svelte 4 component renders topic() and connection() from context with $store, and unsubscribes on $destroy', async () => {
    const { live, seen } = await useLive({ codec: textCodec })
    const component = new Probe({ target: document.body, props: { client: live, filter: 'rooms/+room/messages' } })
    mounted.push(component)
    await eventually(() => seen.subscribes.length === 1)
    await eventually(() => screen.queryByTestId('state')?.textContent === 'connected|subscribed|-|-')
    await live.publish('rooms/lobby/messages', 'hello', { qos: 1 })
    await eventually(() => screen.queryByTestId('state')?.textContent === 'connected|subscribed|hello|lobby')
    component.$destroy()
    mounted.length = 0
    await eventually(() => seen.unsubscribes.length === 1, 5000, 'UNSUBSCRIBE after $destroy')
  })

  it("svelte/store's get and derived read topic stores", async () => {
    const { live } = await useLive({ codec: textCodec })
    const store = live.topic<string>('sensors/+id/temp')
    const label = derived(store, (state) => `${state.status}:${state.data ?? '-'}`)
    const seen: string[] = []
    const stop = label.subscribe((value) => seen.push(value))
    await eventually(() => get(store).status === 'subscribed')
    await live.publish('sensors/a/temp', '21', { qos: 1 })
    await eventually(() => get(label) === 'subscribed:21')
    stop()
    expect(seen[0]).toMatch(/^(idle|subscribing):-$/)
    expect(seen).toContain('subscribed:21')
  })

  it('a null filter gives an idle store that subscribes nothing', async () => {
    const { live, seen } = await useLive({ codec: textCodec })
    mounted.push(new Probe({ target: document.body, props: { client: live, filter: null } }))
    // a QoS 1 round trip: a SUBSCRIBE sent before it would have reached the broker
    await live.publish('elsewhere', 'ping', { qos: 1 })
    expect(seen.subscribes).toEqual([])
    expect(screen.getByTestId('state').textContent).toBe('connected|idle|-|-')
  })

  it('publish() is a store of its state for $send', async () => {
    const { live } = await useLive()
    let send: ((topic: string, payload: unknown, options?: { qos: 1 }) => Promise<void>) | undefined
    mounted.push(new Sender({ target: document.body, props: { client: live, onReady: (s: typeof send) => (send = s) } }))
    expect(screen.getByTestId('publish').textContent).toBe('0|-|-')
    await send!('rooms/a/messages', { text: 'x' }, { qos: 1 })
    await eventually(() => screen.getByTestId('publish').textContent === '0|-|acked')
    await expect(send!('rooms/+/messages', {})).rejects.toMatchObject({ code: 'INVALID_TOPIC' })
    await eventually(() => screen.getByTestId('publish').textContent === '0|INVALID_TOPIC|acked')
  })
})
