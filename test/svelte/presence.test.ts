// presence() in Svelte against the stand-in: `$room.members`, `$room.me`, `room.update`, and `enabled`.
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, describe, expect, it } from 'vitest'
import { othersShown, subscribedToPresence, watchPresence } from '../adapters/presence-watch.js'
import { useLive } from '../helpers/live.js'
import { eventually, sleep, waitFor } from '../helpers/wait.js'
import Host from './Host.svelte'
import PresenceMember from './PresenceMember.svelte'

afterEach(() => cleanup())

describe('presence() (Svelte)', () => {
  it('subscribes nothing while disabled; enabled it joins, shows me, and update reaches the others; leaves on unmount', async () => {
    const { broker, live, seen } = await useLive({ clientId: 'svelte-member' })
    const off = render(Host, { props: { client: live, child: PresenceMember, enabled: false } })
    await sleep(300)
    expect(screen.getByTestId('who').textContent).toBe('idle|0|-')
    expect(subscribedToPresence(seen.subscribes)).toBe(false)
    off.unmount()
    const watcher = await watchPresence(broker)
    const on = render(Host, { props: { client: live, child: PresenceMember, enabled: true } })
    // 1: the stand-in, as IoT, sends the watcher's earlier retained announcement to no wildcard
    await eventually(() => screen.getByTestId('who').textContent === 'subscribed|1|here')
    await waitFor(watcher.view, (v) => othersShown(v) === 'svelte-member:here')
    await fireEvent.click(screen.getByRole('button', { name: 'type' }))
    expect(screen.getByTestId('who').textContent).toBe('subscribed|1|typing')
    await waitFor(watcher.view, (v) => othersShown(v) === 'svelte-member:typing')
    on.unmount()
    await waitFor(watcher.view, (v) => othersShown(v) === '')
  })
})
