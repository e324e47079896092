// @vitest-environment node
import { LiveTopicProvider, useConnection, useTopic } from '@livetopic/react'
import { PassThrough } from 'node:stream'
import { Suspense, type ReactNode } from 'react'
import { renderToString } from 'react-dom/server'
// the streaming renderer of Node (the test projects resolve react-dom/server to its browser build)
import { renderToPipeableStream } from 'react-dom/server.node'
import { describe, expect, it } from 'vitest'
import { useLive } from '../helpers/live.js'
import { sleep } from '../helpers/wait.js'
import { createClient, type LiveTopicClient } from '@livetopic/core'

function Page(): ReactNode {
  const chat = useTopic<{ text: string }>('rooms/+room/messages', { throttle: 'frame' })
  const { status } = useConnection()
  return (
    <p>
      {status}/{chat.status}/{chat.data?.text ?? 'nothing yet'}
    </p>
  )
}

describe('@livetopic/react on the server', () => {
  it('renders with no window and opens no socket', async () => {
    expect(typeof window).toBe('undefined')
    const { live, connections } = await useLive()
    const html = renderToString(
      <LiveTopicProvider client={live}>
        <Page />
      </LiveTopicProvider>,
    )
    expect(html).toBe('<p>idle<!-- -->/<!-- -->idle<!-- -->/<!-- -->nothing yet</p>')
    // past the tick in which a subscription would have asked for a connection
    await sleep(100)
    expect(connections()).toBe(0)
    expect(live.status.get().status).toBe('idle')
  })
})

function Banner(): ReactNode {
  const news = useTopic<{ text: string }>('news', { suspense: true })
  return <p>{news.data?.text ?? 'no news'}</p>
}

/** Streams a page with renderToPipeableStream and resolves with the whole HTML once all is ready. */
function stream(node: ReactNode): Promise<string> {
  return new Promise((resolve, reject) => {
    const out = new PassThrough()
    let html = ''
    out.on('data', (chunk: Buffer) => (html += chunk.toString()))
    out.on('end', () => resolve(html))
    const { pipe } = renderToPipeableStream(node, { onAllReady: () => pipe(out), onShellError: reject, onError: reject })
  })
}

describe('useTopic with suspense on the server', () => {
  it('streams the seed, or no data without one, at once: it never waits for a socket the server does not open', async () => {
    const { broker, connections } = await useLive()
    const clients: LiveTopicClient[] = []
    const page = (seed?: { news: { text: string } }): ReactNode => {
      const live = createClient({ url: broker.url, ...(seed ? { seed } : {}) })
      clients.push(live)
      return (
        <LiveTopicProvider client={live}>
          <Suspense fallback={<p>loading</p>}>
            <Banner />
          </Suspense>
        </LiveTopicProvider>
      )
    }
    expect(await stream(page({ news: { text: 'Welcome' } }))).toContain('<!--$--><p>Welcome</p><!--/$-->')
    expect(await stream(page())).toContain('<!--$--><p>no news</p><!--/$-->')
    await sleep(100)
    expect(connections()).toBe(0)
    await Promise.all(clients.map((c) => c.close()))
  })
})
