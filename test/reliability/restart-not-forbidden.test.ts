// Fault: the broker restarts (stopped and started on the same port) while SUBSCRIBEs and QoS 1
// PUBLISHes wait for their answers. From the client that looks like IoT Core's refusal under MQTT
// 3.1.1 (a connection closed right after our packet), twice in a row: the inference must not read
// it as one. A slow authorizer keeps them in flight at each restart, as a loaded broker would.
import type { Client } from 'aedes'
import type { LiveTopicEvent } from '@livetopic/core'
import { expect, it } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { useClient } from '../helpers/clients.js'
import { freePort } from '../helpers/free-port.js'
import { sleep, waitFor } from '../helpers/wait.js'

const ANSWER_MS = 400

/** The stand-in on `port`, answering every SUBSCRIBE and PUBLISH under `slow/` after ANSWER_MS. */
async function slowBroker(port: number): Promise<Awaited<ReturnType<typeof useBroker>>> {
  const broker = await useBroker({ port, logger: 'silent' })
  const later = (topic: string, answer: () => void): void => void setTimeout(answer, topic.startsWith('slow/') ? ANSWER_MS : 0)
  broker.aedes.authorizeSubscribe = (_client: Client | null, sub, done) => later(sub.topic, () => done(null, sub))
  broker.aedes.authorizePublish = (_client: Client | null, packet, done) => later(packet.topic, () => done(null))
  return broker
}

it.each([
  // down long enough for the first reconnect attempt to be refused
  ['a clean session, the broker down for 500 ms', true, 500],
  // back at once: the reconnect succeeds, but the new broker has no session
  ['a persistent session, the broker back at once', false, 0],
])(
  '%s: two restarts with SUBSCRIBEs and QoS 1 PUBLISHes in flight leave nothing NOT_AUTHORIZED',
  async (_label, clean, downMs) => {
    const port = await freePort()
    let broker = await slowBroker(port)
    const events: LiveTopicEvent[] = []
    const live = useClient({ url: broker.url, clean, ...(clean ? {} : { clientId: 'restart-survivor' }), onEvent: (e) => events.push(e) })
    // a subscription the broker confirmed: the persistent session holds state a restart loses
    const first = live.topic('fast/one', { qos: 1 })
    const offs = [first.listen(() => {})]
    await waitFor(first, (v) => v.status === 'subscribed')
    const stores = ['slow/a', 'slow/b', 'slow/c'].map((f) => live.topic(f, { qos: 1 }))
    offs.push(...stores.map((s) => s.listen(() => {})))
    const published = Promise.allSettled([1, 2, 3].map((n) => live.publish(`slow/p${n}`, n, { qos: 1 })))
    for (let restart = 1; restart <= 2; restart++) {
      // mid-way through the broker's answer: what is out (everything, then a suspect sent alone) is in flight
      await sleep(ANSWER_MS / 4)
      await broker.close()
      await sleep(downMs)
      broker = await slowBroker(port)
      await waitFor(live.status, (s) => s.status === 'connected', 5000)
    }
    await Promise.all(stores.map((s) => waitFor(s, (v) => v.status !== 'subscribing', 10_000)))
    const outcomes = await published
    expect(stores.map((s) => s.get().status)).toEqual(['subscribed', 'subscribed', 'subscribed'])
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled'])
    expect(events.filter((e) => e.type === 'forbidden')).toEqual([])
    // broker away: no strike at all. Back at once: the first restart is seen (the session was
    // forgotten); the second comes before the fresh session confirmed anything, so what was in
    // flight may become suspect (sent alone once more), never refused.
    if (clean) expect(events.filter((e) => e.type === 'suspect')).toEqual([])
    expect(events.filter((e) => e.type === 'dropped')).toHaveLength(2)
    offs.forEach((off) => off())
  },
  20_000,
)
