// Fault: two clients with one fixed client id against Mosquitto. MQTT 5 (3.1.4) has the server send
// DISCONNECT 0x8E (Session taken over) to the older connection, as AWS IoT does; Mosquitto 2.0.11
// just closes the socket under both 3.1.1 and 5 (checked with MQTT.js: no DISCONNECT arrives), so
// livetopic must infer the conflict from repeated drops right after connecting.
import { createClient, type LiveTopicClient } from '@livetopic/core'
import { describe, expect, it } from 'vitest'
import { useMosquittoSuite } from '../helpers/mosquitto-suite.js'
import { eventually, sleep, waitFor } from '../helpers/wait.js'

describe.each([4, 5] as const)('client id takeover on Mosquitto, MQTT protocol level %i', (protocolVersion) => {
  const suite = useMosquittoSuite()
  const clients = suite.clients

  it('ends in CLIENT_ID_CONFLICT (failed) instead of flapping', async () => {
    const make = (): LiveTopicClient => {
      const live = createClient({
        url: suite.mosquitto.url,
        protocolVersion,
        clientId: `tab-${protocolVersion}`,
        reconnect: { initialDelay: 50, maxDelay: 300 },
      })
      clients.push(live)
      return live
    }
    const first = make()
    first.connect()
    await waitFor(first.status, (s) => s.status === 'connected')
    const second = make()
    second.connect()
    await eventually(() => [first, second].some((c) => c.status.get().status === 'failed'), 10_000, 'one client to give up')
    const loser = [first, second].find((c) => c.status.get().status === 'failed')!
    const error = loser.status.get().error
    expect(error?.code).toBe('CLIENT_ID_CONFLICT')
    // inferred, not announced (Mosquitto 2.0.11 sends no 0x8E)
    expect(error?.reasonCode).toBeUndefined()
    // the winner stays connected
    await sleep(500)
    const winner = loser === first ? second : first
    expect(winner.status.get().status).toBe('connected')
  }, 20_000)
})
