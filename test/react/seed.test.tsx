// A seeded server render, then hydration in the browser: same HTML, no warning, then live.
import { createClient, type LiveTopicClient, type Seed } from '@livetopic/core'
import { awsIotProfile } from '@livetopic/core/aws'
import { iotPresence } from '@livetopic/core/presence'
import { LiveTopicProvider, usePresence, useTopic } from '@livetopic/react'
import { act } from '@testing-library/react'
import type { ReactNode } from 'react'
import { hydrateRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { eventually } from '../helpers/wait.js'

type Topics = { announcements: { text: string }; 'presence/roster': { members: { clientId: string; connectedAt: number }[] } }

const clients: LiveTopicClient[] = []
const roots: Root[] = []
afterEach(async () => {
  act(() => roots.splice(0).forEach((root) => root.unmount()))
  await Promise.all(clients.splice(0).map((c) => c.close()))
  vi.restoreAllMocks()
})

const seededRoster = iotPresence({ roster: 'presence/roster' })

function Page(): ReactNode {
  const news = useTopic('announcements')
  const who = usePresence({ strategy: seededRoster })
  return (
    <main>
      <p className="banner">{(news.data as Topics['announcements'] | undefined)?.text ?? 'no news'}</p>
      <ul>
        {who.members.map((m) => (
          <li key={m.id}>{m.id}</li>
        ))}
      </ul>
    </main>
  )
}

function client(url: string, seed: Seed<Topics>): LiveTopicClient<Topics> {
  const live = createClient<Topics>({ url, profile: awsIotProfile, seed })
  clients.push(live)
  return live
}

describe('@livetopic/react with a seed', () => {
  it('renders the seed on the server, hydrates it without a warning, then goes live', async () => {
    const broker = await useBroker()
    const seed: Seed<Topics> = { announcements: { text: 'Welcome' }, 'presence/roster': { members: [{ clientId: 'ada', connectedAt: 1 }] } }
    // the server: its own client, which opens no socket
    const server = client(broker.url, seed)
    const html = renderToString(
      <LiveTopicProvider client={server}>
        <Page />
      </LiveTopicProvider>,
    )
    expect(html).toBe('<main><p class="banner">Welcome</p><ul><li>ada</li></ul></main>')

    // the browser: the seed arrives as JSON in the page, and a new client starts from it
    const errors = vi.spyOn(console, 'error')
    const recoverable: unknown[] = []
    const container = document.createElement('div')
    container.innerHTML = html
    document.body.append(container)
    const browser = client(broker.url, JSON.parse(JSON.stringify(seed)) as Seed<Topics>)
    act(() => {
      roots.push(
        hydrateRoot(
          container,
          <LiveTopicProvider client={browser}>
            <Page />
          </LiveTopicProvider>,
          { onRecoverableError: (error) => recoverable.push(error) },
        ),
      )
    })
    expect(container.innerHTML).toBe(html)
    expect(recoverable).toEqual([])
    expect(errors).not.toHaveBeenCalled()

    // live after hydration: a new announcement replaces the seed
    await eventually(() => browser.status.get().status === 'connected')
    await act(() => browser.publish('announcements', { text: 'Live now' }, { qos: 1 }))
    await eventually(() => container.querySelector('.banner')?.textContent === 'Live now', 5000, 'the live announcement')
    expect(errors).not.toHaveBeenCalled()
    container.remove()
  })
})
