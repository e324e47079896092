// useTopic(filter, { suspense: true }) in jsdom against the real stand-in broker, React 19 and 18.
import { createClient, type LiveTopicClient } from '@livetopic/core'
import { awsIotProfile } from '@livetopic/core/aws'
import { LiveTopicProvider, useTopic } from '@livetopic/react'
import type { Client } from 'aedes'
import { act, cleanup, render, screen } from '@testing-library/react'
import { StrictMode, Suspense, type ReactNode } from 'react'
import { hydrateRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { countPackets, useBroker } from '../helpers/broker.js'
import { eventually } from '../helpers/wait.js'

interface News {
  text: string
}

const clients: LiveTopicClient[] = []
const roots: Root[] = []
afterEach(async () => {
  cleanup()
  act(() => roots.splice(0).forEach((root) => root.unmount()))
  document.body.innerHTML = ''
  await Promise.all(clients.splice(0).map((c) => c.close()))
  vi.restoreAllMocks()
})

function client(url: string, extra: Partial<Parameters<typeof createClient>[0]> = {}): LiveTopicClient {
  const live = createClient({ url, unsubscribeDelay: 50, ...extra })
  clients.push(live)
  return live
}

function Banner({ filter = 'news' }: { filter?: string }): ReactNode {
  const news = useTopic<News>(filter, { suspense: true })
  return (
    <p data-testid="banner">
      {news.data?.text ?? 'no news'}|{news.seeded ? 'seeded' : 'live'}|{news.error?.code ?? ''}
    </p>
  )
}
const page = (live: LiveTopicClient, filter?: string): ReactNode => (
  <LiveTopicProvider client={live}>
    <Suspense fallback={<p data-testid="banner">loading</p>}>
      <Banner {...(filter ? { filter } : {})} />
    </Suspense>
  </LiveTopicProvider>
)
const banner = (): string => screen.getByTestId('banner').textContent ?? ''
const until = (expected: string): Promise<void> => eventually(() => banner() === expected, 5000, `"${expected}", got "${banner()}"`)

describe('useTopic with suspense', () => {
  it('suspends until the retained message, subscribing meanwhile, then shows it; UNSUBSCRIBE after unmount', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const seen = countPackets(broker)
    const publisher = client(broker.url)
    await publisher.publish('news', { text: 'retained' }, { qos: 1, retain: true })
    const live = client(broker.url)
    const view = render(page(live))
    expect(banner()).toBe('loading')
    // nothing rendered the store, yet it subscribed: the waiting promise listens to it
    await until('retained|live|')
    expect(seen.subscribes).toEqual([['news']])
    // the store gives the same state whether asked with suspense or not: suspense is no store option
    expect(live.topic('news').get().data).toEqual({ text: 'retained' })
    view.unmount()
    // the promise let go once settled, and the component on unmount: nothing keeps the subscription
    await eventually(() => seen.unsubscribes.length === 1, 5000, 'UNSUBSCRIBE')
    expect(seen.unsubscribes).toEqual([['news']])
  })

  it('under StrictMode suspends, shows the message, with one SUBSCRIBE', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const seen = countPackets(broker)
    await client(broker.url).publish('news', { text: 'retained' }, { qos: 1, retain: true })
    render(<StrictMode>{page(client(broker.url))}</StrictMode>)
    expect(banner()).toBe('loading')
    await until('retained|live|')
    expect(seen.subscribes).toEqual([['news']])
  })

  it('does not suspend when the client has a seed, then the live message replaces it', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const live = client(broker.url, { seed: { news: { text: 'seed' } } })
    render(page(live))
    expect(banner()).toBe('seed|seeded|')
    await eventually(() => live.status.get().status === 'connected')
    await act(() => client(broker.url).publish('news', { text: 'live' }, { qos: 1 }))
    await until('live|live|')
  })

  it('resolves with the error in state when the payload does not decode (no throw into render)', async () => {
    const broker = await useBroker({ logger: 'silent' })
    await new Promise<void>((resolve, reject) =>
      broker.aedes.publish({ cmd: 'publish', topic: 'news', payload: Buffer.from('not json{'), qos: 0, retain: true, dup: false }, (e) =>
        e ? reject(e) : resolve(),
      ),
    )
    render(page(client(broker.url)))
    expect(banner()).toBe('loading')
    await until('no news|live|DECODE_FAILED')
  })

  it('resolves with NOT_AUTHORIZED when the broker refuses the subscription', async () => {
    const broker = await useBroker({ logger: 'silent' })
    // a SUBACK with 0x80 for this filter
    broker.aedes.authorizeSubscribe = (_client: Client | null, sub, done) => done(null, sub.topic === 'news' ? null : sub)
    render(page(client(broker.url)))
    expect(banner()).toBe('loading')
    await until('no news|live|NOT_AUTHORIZED')
  })

  it('does not suspend for a filter the profile refuses at once: the error is in state', () => {
    const live = client('ws://127.0.0.1:9/mqtt', { profile: awsIotProfile })
    render(page(live, 'a/b/c/d/e/f/g/h/i'))
    expect(banner()).toBe('no news|live|LIMIT_EXCEEDED')
  })
})

describe('useTopic with suspense, server render and hydration', () => {
  it('on the server renders the seed, or no data without one: never the fallback, no socket', async () => {
    const broker = await useBroker({ logger: 'silent' })
    let connections = 0
    broker.aedes.on('client', () => void connections++)
    const seeded = client(broker.url, { seed: { news: { text: 'seed' } } })
    expect(renderToString(page(seeded))).toBe('<!--$--><p data-testid="banner">seed<!-- -->|<!-- -->seeded<!-- -->|</p><!--/$-->')
    expect(renderToString(page(client(broker.url)))).toBe('<!--$--><p data-testid="banner">no news<!-- -->|<!-- -->live<!-- -->|</p><!--/$-->')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(connections).toBe(0)
  })

  it.each([
    ['with a seed', { news: { text: 'seed' } }, 'seed|seeded|'],
    ['without a seed', undefined, 'no news|live|'],
  ])('hydrates the server HTML %s without a console error or a fallback, then goes live', async (_label, seed, first) => {
    const broker = await useBroker({ logger: 'silent' })
    const html = renderToString(page(client(broker.url, seed ? { seed } : {})))
    const errors = vi.spyOn(console, 'error')
    const recoverable: unknown[] = []
    const container = document.createElement('div')
    container.innerHTML = html
    document.body.append(container)
    const live = client(broker.url, seed ? { seed: JSON.parse(JSON.stringify(seed)) as typeof seed } : {})
    const shown: string[] = []
    const observer = new MutationObserver(() => shown.push(banner()))
    observer.observe(container, { subtree: true, childList: true, characterData: true })
    act(() => {
      roots.push(hydrateRoot(container, page(live), { onRecoverableError: (error) => recoverable.push(error) }))
    })
    expect(container.innerHTML).toBe(html)
    expect(banner()).toBe(first)
    await eventually(() => live.status.get().status === 'connected')
    await act(() => client(broker.url).publish('news', { text: 'live' }, { qos: 1 }))
    await until('live|live|')
    observer.disconnect()
    // the server's first paint, then the live value: no fallback in between
    expect(shown).not.toContain('loading')
    expect(recoverable).toEqual([])
    expect(errors).not.toHaveBeenCalled()
  })
})
