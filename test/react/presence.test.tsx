// usePresence in React against the stand-in: { members, me, update }, and `enabled`.
import type { LiveTopicClient } from '@livetopic/core'
import { LiveTopicProvider, usePresence } from '@livetopic/react'
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { adapterPresence, othersShown, subscribedToPresence, watchPresence } from '../adapters/presence-watch.js'
import { useLive } from '../helpers/live.js'
import { eventually, sleep, waitFor } from '../helpers/wait.js'

afterEach(() => cleanup())

function Member({ enabled }: { enabled: boolean }): ReactNode {
  const { status, members, me, update } = usePresence<{ status: string }>({ strategy: adapterPresence, initialState: { status: 'here' }, enabled })
  return (
    <>
      <p data-testid="who">
        {status}|{members.length}|{me?.state?.status ?? '-'}
      </p>
      <button onClick={() => update({ status: 'typing' })}>type</button>
    </>
  )
}

const mount = (live: LiveTopicClient, enabled: boolean) =>
  render(
    <LiveTopicProvider client={live}>
      <Member enabled={enabled} />
    </LiveTopicProvider>,
  )

describe('usePresence (React)', () => {
  it('subscribes nothing while disabled; once enabled it joins, shows me, and update reaches the others', async () => {
    const { broker, live, seen } = await useLive({ clientId: 'react-member' })
    const view = mount(live, false)
    await sleep(300)
    expect(screen.getByTestId('who').textContent).toBe('idle|0|-')
    expect(subscribedToPresence(seen.subscribes)).toBe(false)
    // another member joins first, so the component's announcement reaches it live
    const watcher = await watchPresence(broker)
    view.rerender(
      <LiveTopicProvider client={live}>
        <Member enabled />
      </LiveTopicProvider>,
    )
    // 1: the stand-in, as IoT, sends the watcher's earlier retained announcement to no wildcard (Mosquitto would)
    await eventually(() => screen.getByTestId('who').textContent === 'subscribed|1|here')
    await waitFor(watcher.view, (v) => othersShown(v) === 'react-member:here')
    act(() => {
      fireEvent.click(screen.getByRole('button', { name: 'type' }))
    })
    expect(screen.getByTestId('who').textContent).toBe('subscribed|1|typing')
    await waitFor(watcher.view, (v) => othersShown(v) === 'react-member:typing')
    // disabled again: it leaves
    view.rerender(
      <LiveTopicProvider client={live}>
        <Member enabled={false} />
      </LiveTopicProvider>,
    )
    await waitFor(watcher.view, (v) => othersShown(v) === '')
  })
})
