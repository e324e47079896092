// React-only behaviour; what every adapter does is in ../adapters/adapter-spec.ts (run by adapter-spec.test.tsx)
import type { LiveTopicClient } from '@livetopic/core'
import { LiveTopicProvider, useConnection, usePublish, useTopic, useTopicListener } from '@livetopic/react'
import { act, cleanup, render, screen } from '@testing-library/react'
import { StrictMode, type ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { useLive } from '../helpers/live.js'
import { eventually, waitFor } from '../helpers/wait.js'

interface Chat {
  text: string
}

afterEach(() => cleanup())

const wrap = (live: LiveTopicClient, children: ReactNode): ReactNode => <LiveTopicProvider client={live}>{children}</LiveTopicProvider>

function Room({ room }: { room: string }): ReactNode {
  const chat = useTopic<Chat>(`rooms/${room}/messages`)
  return (
    <p data-testid="chat">
      {chat.status}|{chat.data?.text ?? '-'}|{chat.error?.code ?? ''}
    </p>
  )
}

const text = (): string => screen.getByTestId('chat').textContent ?? ''
const until = (expected: string): Promise<void> => eventually(() => text() === expected, 5000, `"${expected}", got "${text()}"`)

describe('@livetopic/react', () => {
  it('under StrictMode subscribes once and unsubscribes once after unmount', async () => {
    const { live, seen } = await useLive()
    const view = render(<StrictMode>{wrap(live, <Room room="a" />)}</StrictMode>)
    await until('subscribed|-|')
    view.unmount()
    await eventually(() => seen.unsubscribes.length > 0)
    expect(seen.subscribes).toEqual([['rooms/a/messages']])
    expect(seen.unsubscribes).toEqual([['rooms/a/messages']])
  })

  it('with throttle, renders less often than messages arrive but ends on the latest, history complete', async () => {
    const { live } = await useLive()
    let renders = 0
    let history = 0
    function Telemetry(): ReactNode {
      const t = useTopic<{ n: number }>('telemetry/x', { throttle: 300, history: 100 })
      renders++
      history = t.history.length
      return (
        <p data-testid="chat">
          {t.status}|{t.data?.n ?? '-'}
        </p>
      )
    }
    render(wrap(live, <Telemetry />))
    await until('subscribed|-')
    const before = renders
    await act(async () => {
      for (let n = 1; n <= 40; n++) void live.publish('telemetry/x', { n })
      await live.publish('telemetry/x', { n: 41 }, { qos: 1 })
    })
    await until('subscribed|41')
    expect(history).toBe(41)
    expect(renders - before).toBeLessThan(41)
  })

  it('useTopicListener calls back per message without rendering or resubscribing', async () => {
    const { live, seen } = await useLive()
    const got: string[] = []
    let renders = 0
    function Listener({ tag }: { tag: string }): ReactNode {
      renders++
      // a new callback every render: must not resubscribe
      useTopicListener<Chat>('rooms/+room/messages', (m) => got.push(`${tag}:${m.params.room}:${m.payload.text}`))
      return null
    }
    const view = render(wrap(live, <Listener tag="one" />))
    await eventually(() => seen.subscribes.length === 1)
    view.rerender(wrap(live, <Listener tag="two" />))
    const rendersBefore = renders
    await act(() => live.publish('rooms/x/messages', { text: 'hi' }, { qos: 1 }))
    await eventually(() => got.length === 1)
    expect(got).toEqual(['two:x:hi'])
    expect(renders).toBe(rendersBefore)
    expect(seen.subscribes).toEqual([['rooms/+/messages']])
    view.unmount()
    await eventually(() => seen.unsubscribes.length === 1)
  })

  it('usePublish is stable and useConnection shows the status', async () => {
    const { live } = await useLive()
    const publishes = new Set<unknown>()
    function Panel(): ReactNode {
      const publish = usePublish()
      publishes.add(publish)
      const { status } = useConnection()
      return <p data-testid="chat">{status}</p>
    }
    const view = render(wrap(live, <Panel />))
    expect(text()).toBe('idle')
    const store = live.topic<Chat>('rooms/p/messages')
    const off = store.listen(() => {})
    await until('connected')
    view.rerender(wrap(live, <Panel />))
    expect(publishes.size).toBe(1)
    const publish = [...publishes][0] as LiveTopicClient['publish']
    await waitFor(store, (s) => s.status === 'subscribed')
    await publish('rooms/p/messages', { text: 'via hook' }, { qos: 1 })
    await waitFor(store, (s) => s.data?.text === 'via hook')
    off()
  })
})
