import { createClient, type ConnectionState, type LiveTopicClient, type Profile } from '@livetopic/core'
import { awsIotProfile } from '@livetopic/core/aws'
import { startBroker, type Denial, type RunningBroker } from '@livetopic/broker'
import { MAX_CONNECTS_PER_SECOND_PER_CLIENT_ID } from '@livetopic/iot'
import type { Client } from 'aedes'
import { WebSocket } from 'ws'
import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait.js'

// AWS IoT Core's 1 CONNECT per second per client id, enforced by the stand-in (its default): a
// client on awsIotProfile paces its reconnects to it, so a drop right after connecting is never
// answered with a throttled CONNACK; a client that does not pace is throttled (CONNACK 3, 0x88) and
// takes it as "try again later", not as a refused login.

const QUOTA_MS = 1000 / MAX_CONNECTS_PER_SECOND_PER_CLIENT_ID
const brokers: RunningBroker[] = []
const clients: LiveTopicClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  await Promise.all(brokers.splice(0).map((b) => b.close()))
})

async function quotaBroker(): Promise<{ broker: RunningBroker; throttled: Denial[]; connects: number[] }> {
  const broker = await startBroker({ logger: 'silent' })
  brokers.push(broker)
  const throttled: Denial[] = []
  const connects: number[] = []
  broker.events.on('denied', (d) => d.resource === 'client id' && throttled.push(d))
  broker.events.on('lifecycle', (e) => e.payload.eventType === 'connected' && connects.push(performance.now()))
  return { broker, throttled, connects }
}

function client(broker: RunningBroker, profile?: Profile, protocolVersion: 4 | 5 = 4): LiveTopicClient {
  const live = createClient({ url: broker.url, WebSocket, protocolVersion, reconnect: { initialDelay: 50, maxDelay: 200 }, ...(profile ? { profile } : {}) })
  clients.push(live)
  return live
}

// the server ends the connection (as IoT does on a forbidden packet under 3.1.1); aedes keeps its clients untyped
const drop = (broker: RunningBroker, clientId: string): void =>
  (broker.aedes as unknown as { clients: Record<string, Client | undefined> }).clients[clientId]?.close()

/** Drops the client right after each connect, `times` times, and waits until it is back. */
async function dropRightAfterConnect(broker: RunningBroker, live: LiveTopicClient, times: number): Promise<void> {
  live.connect()
  for (let i = 0; i < times; i++) {
    await waitFor(live.status, (s) => s.status === 'connected')
    drop(broker, live.clientId)
    await waitFor(live.status, (s) => s.status !== 'connected')
  }
  await waitFor(live.status, (s) => s.status === 'connected')
}

describe("IoT's connect quota on the stand-in", { timeout: 30_000 }, () => {
  it.each([4, 5] as const)('awsIotProfile, MQTT v%i: three drops right after connecting, three reconnects, none throttled, a second apart', async (version) => {
    const { broker, throttled, connects } = await quotaBroker()
    const live = client(broker, awsIotProfile, version)
    const errors: ConnectionState[] = []
    live.status.listen((s) => s.error && errors.push(s))
    await dropRightAfterConnect(broker, live, 3)
    expect(throttled).toEqual([])
    expect(connects.length).toBe(4)
    for (let i = 1; i < connects.length; i++) expect(connects[i]! - connects[i - 1]!).toBeGreaterThanOrEqual(QUOTA_MS)
    expect(errors.filter((s) => s.error?.code === 'CONNECTION_FAILED')).toEqual([])
  })

  // under MQTT 5 the stand-in (aedes) translates 3.1.1's 3 "server unavailable" to 0x88
  it.each([
    [4, 3],
    [5, 0x88],
  ] as const)('without pacing, MQTT v%i: throttled (CONNACK %i), the client keeps reconnecting and gets back in', async (version, code) => {
    const { broker, throttled } = await quotaBroker()
    const live = client(broker, undefined, version)
    const states: ConnectionState[] = []
    live.status.listen((s) => states.push(s))
    await dropRightAfterConnect(broker, live, 3)
    // a reconnect within the second was refused as IoT would; taken as "later", never as a login refused
    expect(throttled.length).toBeGreaterThan(0)
    const refusals = states.filter((s) => s.error?.reasonCode === code)
    expect(refusals.length).toBeGreaterThan(0)
    for (const s of refusals) expect(s).toMatchObject({ status: 'reconnecting', error: { code: 'CONNECTION_FAILED' } })
    expect(states.some((s) => s.status === 'failed')).toBe(false)
    expect(live.status.get().status).toBe('connected')
  })
})
