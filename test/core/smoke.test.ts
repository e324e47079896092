import { createClient } from '@livetopic/core'
import mqtt from 'mqtt'
import { describe, expect, it } from 'vitest'
import { countPackets, useBroker } from '../helpers/broker.js'
import { waitFor } from '../helpers/wait.js'

describe('smoke', () => {
  it('receives a message on a wildcard filter', async () => {
    const broker = await useBroker()
    const seen = countPackets(broker)
    const live = createClient({ url: broker.url })
    const store = live.topic<{ text: string }>('rooms/+room/messages')
    const off = store.listen(() => {})
    await waitFor(store, (s) => s.status === 'subscribed')
    await live.publish('rooms/lobby/messages', { text: 'hi' }, { qos: 1 })
    const state = await waitFor(store, (s) => s.data !== undefined)
    expect(state.data).toEqual({ text: 'hi' })
    expect(state.message?.params).toEqual({ room: 'lobby' })
    expect(seen.subscribes).toEqual([['rooms/+/messages']])
    off()
    await live.close()
  })
})
