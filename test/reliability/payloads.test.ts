// Bad payloads: what does not decode becomes a typed error in the store (the last good data kept),
// never an exception in a listener; an oversized publish is refused before it leaves.
import { binaryCodec, createClient, textCodec, type LiveTopicError, type TopicState, type TopicStore } from '@livetopic/core'
import { awsIotProfile } from '@livetopic/core/aws'
import mqtt, { type MqttClient } from 'mqtt'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { countPackets, useBroker } from '../helpers/broker.js'
import { countDrops, useClient } from '../helpers/clients.js'
import { eventually, waitFor } from '../helpers/wait.js'

const raws: MqttClient[] = []
afterEach(async () => {
  await Promise.all(raws.splice(0).map((r) => r.endAsync()))
})

/** A stock MQTT.js client that can send any bytes. */
async function rawPublisher(url: string): Promise<(topic: string, payload: Buffer | string) => Promise<void>> {
  const raw = await mqtt.connectAsync(url, { reconnectPeriod: 0 })
  raws.push(raw)
  return async (topic, payload) => {
    await raw.publishAsync(topic, payload, { qos: 1 })
  }
}

describe('bad payloads', () => {
  it('malformed JSON, binary on a JSON topic, invalid UTF-8 on a text topic: DECODE_FAILED, data kept, others unaffected', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const live = useClient({ url: broker.url })
    const json = live.topic<{ ok: number }>('bad/json')
    const text = live.topic<string>('bad/text', { codec: textCodec })
    const bytes = live.topic<Uint8Array>('bad/bytes', { codec: binaryCodec })
    const healthy = live.topic<{ ok: number }>('good/json')
    const listenerErrors: unknown[] = []
    const offs = [json, text, bytes, healthy].map((s) =>
      s.listen(() => {
        // a listener only ever sees states; record anything odd it is handed
        if (!(s.get().status in { idle: 1, subscribing: 1, subscribed: 1, error: 1 })) listenerErrors.push(s.get())
      }),
    )
    await Promise.all([json, text, bytes, healthy].map((s) => waitFor<TopicState<unknown>>(s, (v) => v.status === 'subscribed')))
    const send = await rawPublisher(broker.url)

    await send('bad/json', '{"ok":1}')
    await send('bad/text', 'héllo')
    await waitFor(json, (v) => v.data !== undefined)
    await waitFor(text, (v) => v.data !== undefined)

    const cases: [string, Buffer | string][] = [
      ['bad/json', '{"ok":'], // truncated
      ['bad/json', 'NaN'],
      ['bad/json', Buffer.from([0xff, 0xfe, 0x00, 0x01])], // binary
      ['bad/json', ''], // empty (e.g. a retained-delete)
      ['bad/text', Buffer.from([0x68, 0xc3, 0x28])], // invalid UTF-8 sequence
      ['bad/text', Buffer.from([0xed, 0xa0, 0x80])], // a lone surrogate, invalid in UTF-8
    ]
    for (const [topic, payload] of cases) {
      const store: TopicStore<unknown> = topic === 'bad/json' ? json : text
      const before = store.get().error
      await send(topic, payload)
      await waitFor<TopicState<unknown>>(store, (v) => v.error !== undefined && v.error !== before)
      const state = store.get()
      expect(state.error?.code, `${topic} ${String(payload)}`).toBe('DECODE_FAILED')
      expect(state.error?.topic).toBe(topic)
      expect(state.status).toBe('subscribed')
      // last good data kept
      expect(state.data).toEqual(topic === 'bad/json' ? { ok: 1 } : 'héllo')
    }
    // the binary codec takes anything
    await send('bad/bytes', Buffer.from([0xff, 0x00]))
    expect([...(await waitFor(bytes, (v) => v.data !== undefined)).data!]).toEqual([0xff, 0x00])
    // other topics unaffected, and a good message clears the error
    await send('good/json', '{"ok":2}')
    expect((await waitFor(healthy, (v) => v.data !== undefined)).error).toBeUndefined()
    await send('bad/json', '{"ok":3}')
    const fixed = await waitFor(json, (v) => (v.data as { ok: number }).ok === 3)
    expect(fixed.error).toBeUndefined()
    expect(listenerErrors).toEqual([])
    expect(live.status.get().status).toBe('connected')
    offs.forEach((off) => off())
  }, 15_000)

  it('onMessage: a payload that does not decode goes to onError, the listener is not called', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const live = useClient({ url: broker.url })
    const received: unknown[] = []
    const errors: LiveTopicError[] = []
    const off = live.onMessage('cb/json', (m) => received.push(m.payload), { onError: (e) => errors.push(e) })
    await waitFor(live.status, (s) => s.status === 'connected')
    const send = await rawPublisher(broker.url)
    await eventually(async () => {
      await send('cb/json', '{"probe":true}')
      return received.length > 0
    })
    await send('cb/json', '{oops')
    await send('cb/json', '[1]')
    await eventually(() => received.some(Array.isArray))
    expect(errors.map((e) => e.code)).toEqual(['DECODE_FAILED'])
    expect(received.at(-1)).toEqual([1])
    off()
  })

  it('a listener that throws: reported with console.error in Node, other listeners and the connection unaffected', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const live = useClient({ url: broker.url })
    const healthy = live.topic<number>('throw/ok')
    const sameFilter = live.topic<number>('throw/bad')
    const offs = [healthy.listen(() => {}), sameFilter.listen(() => {})]
    let thrown = 0
    const offThrowing = live.onMessage('throw/bad', () => {
      thrown++
      throw new Error('bug in user code')
    })
    await Promise.all([healthy, sameFilter].map((s) => waitFor(s, (v) => v.status === 'subscribed')))
    const drops = countDrops(live)
    const send = await rawPublisher(broker.url)
    // Node has no reportError: livetopic logs the error instead of rethrowing it (which would end
    // the process); vitest fails the run on any uncaught exception, so none may happen here
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      await send('throw/bad', '1')
      await eventually(() => thrown === 1 && logged.mock.calls.length === 1)
      expect(String(logged.mock.calls[0]?.[0])).toContain('bug in user code')
      // the other listener of the same filter got it too
      expect((await waitFor(sameFilter, (v) => v.data !== undefined)).data).toBe(1)
      await send('throw/ok', '2')
      expect((await waitFor(healthy, (v) => v.data !== undefined)).data).toBe(2)
      await send('throw/bad', '3')
      await eventually(() => thrown === 2 && logged.mock.calls.length === 2)
      expect(live.status.get().status).toBe('connected')
      expect(drops()).toBe(0)
    } finally {
      logged.mockRestore()
    }
    offThrowing()
    offs.forEach((off) => off())
  })

  it('an oversized publish under the AWS IoT profile rejects PAYLOAD_TOO_LARGE and sends nothing', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const sent: string[] = []
    broker.aedes.on('publish', (packet, client) => {
      if (client) sent.push(packet.topic)
    })
    const live = createClient({ url: broker.url, profile: awsIotProfile })
    try {
      const big = 'x'.repeat(128 * 1024) // + the JSON quotes: just over 128 KB
      await expect(live.publish('big/one', big, { qos: 1 })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', topic: 'big/one' })
      await expect(live.publish('big/one', new Uint8Array(128 * 1024 + 1), { codec: binaryCodec })).rejects.toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
      })
      // at the limit it goes through, and the client is still usable
      await live.publish('big/ok', new Uint8Array(128 * 1024), { qos: 1, codec: binaryCodec })
      await live.publish('big/small', { fine: true }, { qos: 1 })
      expect(sent).toEqual(['big/ok', 'big/small'])
    } finally {
      await live.close()
    }
  })

  it('a value JSON cannot encode rejects ENCODE_FAILED, and nothing is sent', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const seen = countPackets(broker)
    const live = useClient({ url: broker.url })
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    await expect(live.publish('enc/x', cyclic)).rejects.toMatchObject({ code: 'ENCODE_FAILED' })
    await expect(live.publish('enc/x', undefined)).rejects.toMatchObject({ code: 'ENCODE_FAILED' })
    await expect(live.publish('enc/x', 10n)).rejects.toMatchObject({ code: 'ENCODE_FAILED' })
    await expect(live.publish('enc/+', 1)).rejects.toMatchObject({ code: 'INVALID_TOPIC' })
    expect(seen.subscribes).toEqual([])
  })
})
