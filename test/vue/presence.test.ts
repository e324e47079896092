// usePresence in Vue against the stand-in: { members, me, update } refs, and `enabled` as a ref.
import { usePresence, liveTopic } from '@livetopic/vue'
import { cleanup, fireEvent, render, screen } from '@testing-library/vue'
import { defineComponent, h, ref } from 'vue'
import { afterEach, describe, expect, it } from 'vitest'
import { adapterPresence, othersShown, subscribedToPresence, watchPresence } from '../adapters/presence-watch.js'
import { useLive } from '../helpers/live.js'
import { eventually, sleep, waitFor } from '../helpers/wait.js'

afterEach(() => cleanup())

const enabled = ref(false)
const Member = defineComponent({
  setup() {
    const { status, members, me, update } = usePresence<{ status: string }>({ strategy: adapterPresence, initialState: { status: 'here' }, enabled })
    return () => [
      h('p', { 'data-testid': 'who' }, `${status.value}|${members.value.length}|${me.value?.state?.status ?? '-'}`),
      h('button', { onClick: () => update({ status: 'typing' }) }, 'type'),
    ]
  },
})

describe('usePresence (Vue)', () => {
  it('subscribes nothing while disabled; once enabled it joins, shows me, and update reaches the others', async () => {
    const { broker, live, seen } = await useLive({ clientId: 'vue-member' })
    enabled.value = false
    render(Member, { global: { plugins: [liveTopic(live)] } })
    await sleep(300)
    expect(screen.getByTestId('who').textContent).toBe('idle|0|-')
    expect(subscribedToPresence(seen.subscribes)).toBe(false)
    const watcher = await watchPresence(broker)
    enabled.value = true
    // 1: the stand-in, as IoT, sends the watcher's earlier retained announcement to no wildcard
    await eventually(() => screen.getByTestId('who').textContent === 'subscribed|1|here')
    await waitFor(watcher.view, (v) => othersShown(v) === 'vue-member:here')
    await fireEvent.click(screen.getByRole('button', { name: 'type' }))
    expect(screen.getByTestId('who').textContent).toBe('subscribed|1|typing')
    await waitFor(watcher.view, (v) => othersShown(v) === 'vue-member:typing')
    enabled.value = false
    await waitFor(watcher.view, (v) => othersShown(v) === '')
  })
})
