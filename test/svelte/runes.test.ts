// @livetopic/svelte/runes (Svelte 5): a component whose `.svelte.ts` module reads live stores.
import { createClient, type LiveTopicClient } from '@livetopic/core'
import { liveStore, liveTopic } from '@livetopic/svelte/runes'
import { cleanup, render, screen } from '@testing-library/svelte'
import { afterEach, describe, expect, it } from 'vitest'
import { countPackets, useBroker } from '../helpers/broker.js'
import { eventually } from '../helpers/wait.js'
import RunesNews from './RunesNews.svelte'

const clients: LiveTopicClient[] = []
afterEach(async () => {
  cleanup()
  await Promise.all(clients.splice(0).map((c) => c.close()))
})
function client(url: string, extra: Partial<Parameters<typeof createClient>[0]> = {}): LiveTopicClient {
  const live = createClient({ url, unsubscribeDelay: 50, ...extra })
  clients.push(live)
  return live
}
const text = (id: string): string => screen.getByTestId(id).textContent ?? ''
const until = (id: string, expected: string): Promise<void> => eventually(() => text(id) === expected, 5000, `"${expected}", got "${text(id)}"`)

describe('@livetopic/svelte/runes', () => {
  it('shows live data through a .svelte.ts module, and stops listening when unmounted', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const seen = countPackets(broker)
    const live = client(broker.url)
    const view = render(RunesNews, { props: { client: live } })
    await until('banner', 'subscribed')
    await until('connection', 'connected')
    await client(broker.url).publish('news', { text: 'hello' }, { qos: 1 })
    await until('banner', 'hello')
    expect(seen.subscribes).toEqual([['news']])
    view.unmount()
    await eventually(() => seen.unsubscribes.length === 1, 5000, 'UNSUBSCRIBE')
    expect(seen.unsubscribes).toEqual([['news']])
  })

  it('starts from a seed, then the live message replaces it', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const live = client(broker.url, { seed: { news: { text: 'seed' } } })
    render(RunesNews, { props: { client: live } })
    expect(text('banner')).toBe('seed (seeded)')
    await until('connection', 'connected')
    await eventually(() => live.topic('news').get().status === 'subscribed')
    await client(broker.url).publish('news', { text: 'live' }, { qos: 1 })
    await until('banner', 'live')
  })

  it('outside an effect, current is the value right now and listens to nothing', () => {
    const live = client('ws://127.0.0.1:9/mqtt', { seed: { news: 'now' } })
    expect(liveTopic(live, 'news').current).toMatchObject({ status: 'idle', data: 'now', seeded: true })
    expect(liveStore(live.status).current.status).toBe('idle')
  })
})
