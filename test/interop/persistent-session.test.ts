// Fault: the broker is killed mid-stream (SIGKILL, no final save) and restarted on the same port.
// Mosquitto with `persistence true` (saved after every change) keeps the persistent session of a
// clean=false client with a fixed id, and queues the QoS 1 messages published while it is away.
import { createClient, type LiveTopicClient } from '@livetopic/core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startMosquitto, type RunningMosquitto } from '../helpers/mosquitto.js'
import { eventually, waitFor } from '../helpers/wait.js'

const TOPICS = ['stream/a', 'stream/b', 'stream/c']

describe.each([4, 5] as const)('persistent session across a broker crash, MQTT protocol level %i', (protocolVersion) => {
  let mosquitto: RunningMosquitto
  const clients: LiveTopicClient[] = []
  beforeAll(async () => {
    mosquitto = await startMosquitto({ persistence: true })
  })
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()))
  })
  afterAll(() => mosquitto.stop())

  it('delivers every QoS 1 message published while the client was away, in order per topic', async () => {
    // the subscriber stays away while `away` is set: its URL provider fails (as with expired credentials)
    let away = false
    const subscriber = createClient({
      url: () => {
        if (away) throw new Error('away')
        return mosquitto.url
      },
      protocolVersion,
      clientId: `persistent-${protocolVersion}`,
      clean: false,
      sessionExpiryInterval: 600,
      reconnect: { initialDelay: 50, maxDelay: 200 },
    })
    const publisher = createClient({ url: mosquitto.url, protocolVersion, reconnect: { initialDelay: 50, maxDelay: 200 } })
    clients.push(subscriber, publisher)
    const received = new Map<string, number[]>(TOPICS.map((t) => [t, []]))
    subscriber.onMessage<number>('stream/+', (m) => received.get(m.topic)?.push(m.payload), { qos: 1 })
    await waitFor(subscriber.status, (s) => s.status === 'connected')
    await eventually(async () => {
      await publisher.publish('stream/a', -1, { qos: 1 })
      return (received.get('stream/a') ?? []).includes(-1)
    })
    received.get('stream/a')!.length = 0

    // mid-stream: publish continuously, crash the broker in the middle
    const sent = new Map<string, number[]>(TOPICS.map((t) => [t, []]))
    let seq = 0
    const publishOne = async (): Promise<void> => {
      const n = seq++
      const topic = TOPICS[n % TOPICS.length]!
      await publisher.publish(topic, n, { qos: 1 })
      sent.get(topic)!.push(n)
    }
    for (let i = 0; i < 30; i++) await publishOne()
    // let the persistence file catch up with the session (subscriptions are saved on change)
    await eventually(() => [...received.values()].flat().length === 30)
    away = true
    const inFlight = Array.from({ length: 15 }, () => publishOne())
    await mosquitto.kill('SIGKILL')
    await waitFor(subscriber.status, (s) => s.status !== 'connected')
    await mosquitto.restart()
    // the broker is back; the subscriber is not: everything now is published "while away"
    await Promise.all(inFlight)
    const beforeAway = [...received.values()].flat().length
    for (let i = 0; i < 60; i++) await publishOne()
    away = false
    subscriber.reconnect()
    const connected = await waitFor(subscriber.status, (s) => s.status === 'connected', 10_000)
    expect(connected.sessionPresent).toBe(true)
    const total = seq
    await eventually(
      () => new Set([...received.values()].flat()).size === total,
      10_000,
      `${total} messages (got ${[...received.values()].flat().length}, ${beforeAway} before the away phase)`,
    )
    for (const topic of TOPICS) {
      const got = received.get(topic)!
      // QoS 1 is at-least-once: a message in flight at the crash may come twice, never out of order
      const unique = got.filter((n, i) => got.indexOf(n) === i)
      expect(unique, topic).toEqual(
        sent
          .get(topic)!
          .slice()
          .sort((a, b) => a - b),
      )
      expect(unique, topic).toEqual([...unique].sort((a, b) => a - b))
    }
    expect(new Set([...received.values()].flat()).size).toBe([...sent.values()].flat().length)
  }, 30_000)
})
