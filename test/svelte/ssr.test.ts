// @vitest-environment node
import { render } from 'svelte/server'
import { describe, expect, it } from 'vitest'
import { useLive } from '../helpers/live.js'
import { sleep } from '../helpers/wait.js'
import AnyRoom from './AnyRoom.svelte'
import Host from './Host.svelte'
import RunesNews from './RunesNews.svelte'

describe('@livetopic/svelte on the server', () => {
  it('renders with no window and opens no socket', async () => {
    expect(typeof window).toBe('undefined')
    const { live, connections } = await useLive()
    const { body } = render(Host, { props: { client: live, child: AnyRoom } })
    // `$chat` subscribes for the length of the render (Svelte's server store contract): the store
    // says 'subscribing' as the browser's first render will, but the listener leaves in the same tick
    expect(body).toContain('<p data-testid="chat">subscribing</p>')
    expect(body).toContain('<p data-testid="connection">idle</p>')
    await sleep(100)
    expect(connections()).toBe(0)
    expect(live.status.get().status).toBe('idle')
  })
})

describe('@livetopic/svelte/runes on the server', () => {
  it('renders the seed through a .svelte.ts module, with no socket', async () => {
    const { live, connections } = await useLive()
    live.seed({ news: { text: 'Welcome' } })
    const { body } = render(RunesNews, { props: { client: live } })
    expect(body).toContain('<p data-testid="banner">Welcome (seeded)</p>')
    await sleep(100)
    expect(connections()).toBe(0)
  })
})
