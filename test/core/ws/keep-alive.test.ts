// The keep-alive unit on fake timers (its policy, no socket), then wired into the built-in transport
// against a real WebSocket server whose PINGRESP never comes (only the interval and the clock faked).
import { isLiveTopicError, wsTransport, type LiveTopicError } from '@livetopic/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import { keepAlive } from '../../../packages/core/src/ws/keep-alive.js'
import { startHostileServer, type HostileServer } from '../../helpers/hostile-ws-server.js'
import { connack } from '../../helpers/raw-mqtt-server.js'
import { eventually } from '../../helpers/wait.js'

const timers: ReturnType<typeof setInterval>[] = []
afterEach(() => {
  for (const timer of timers.splice(0)) clearInterval(timer)
  vi.useRealTimers()
})

/** Starts the unit for `seconds` with the traffic times kept here, as the session keeps them. */
function start(seconds: number) {
  const traffic = { sent: Date.now(), received: Date.now() }
  const pings: number[] = []
  const expired: LiveTopicError[] = []
  const timer = keepAlive(
    seconds,
    () => traffic.sent,
    () => traffic.received,
    () => pings.push(Date.now()),
    (why) => expired.push(why),
  )
  if (timer !== undefined) timers.push(timer)
  return { traffic, pings, expired, timer }
}

describe('keep-alive unit (fake timers)', () => {
  it('pings after half the keep-alive without sending, checked every quarter', () => {
    vi.useFakeTimers()
    const t0 = Date.now()
    const { pings, traffic } = start(10)
    vi.advanceTimersByTime(2500)
    expect(pings).toEqual([]) // a quarter: nothing yet
    vi.advanceTimersByTime(2500)
    expect(pings).toEqual([t0 + 5000]) // half without a send: PINGREQ
    traffic.sent = Date.now() // the ping went out
    traffic.received = Date.now() // and its PINGRESP came
    vi.advanceTimersByTime(2500)
    expect(pings).toHaveLength(1)
  })

  it('sending keeps it quiet: no PINGREQ while something goes out every few seconds', () => {
    vi.useFakeTimers()
    const { pings, traffic, expired } = start(10)
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(2000)
      traffic.sent = traffic.received = Date.now()
    }
    expect(pings).toEqual([])
    expect(expired).toEqual([])
  })

  it('nothing received for 1.5× the keep-alive (PINGRESP missing): expires with a typed CONNECTION_LOST', () => {
    vi.useFakeTimers()
    const { expired, traffic } = start(10)
    vi.advanceTimersByTime(12_500)
    traffic.sent = Date.now() // pings keep going out, nothing comes back
    expect(expired).toEqual([])
    vi.advanceTimersByTime(2500)
    expect(expired).toHaveLength(1)
    expect(isLiveTopicError(expired[0])).toBe(true)
    expect(expired[0]!.code).toBe('CONNECTION_LOST')
    expect(expired[0]!.message).toContain('keep-alive')
  })

  it('keep-alive 0 is off: no timer at all', () => {
    vi.useFakeTimers()
    const { timer, pings, expired } = start(0)
    expect(timer).toBeUndefined()
    expect(vi.getTimerCount()).toBe(0)
    vi.advanceTimersByTime(3_600_000)
    expect(pings).toEqual([])
    expect(expired).toEqual([])
  })
})

describe('keep-alive in the built-in transport (real WebSocket, faked interval and clock)', () => {
  const servers: HostileServer[] = []
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()))
  })

  it('PINGREQ after half the keep-alive of silence; no PINGRESP: the socket ends with CONNECTION_LOST', async () => {
    const server = await startHostileServer()
    servers.push(server)
    const closes: (LiveTopicError | undefined)[] = []
    let connected = false
    const transport = wsTransport({ WebSocket })(
      { clientId: 'k', protocolVersion: 4, keepalive: 30, clean: true, wsSubprotocol: 'mqtt', connectTimeout: 5000 },
      { onConnect: () => (connected = true), onMessage: () => {}, onClose: (error) => closes.push(error) },
    )
    transport.open(server.url, {})
    const conn = await server.accept()
    await conn.next() // CONNECT
    // the keep-alive interval starts at CONNACK: fake it (and the clock), leave the socket's timers real
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
    conn.send(connack())
    await eventually(() => connected, 5000, 'CONNACK')
    const ping = conn.next()
    vi.advanceTimersByTime(15_000)
    expect([...(await ping)]).toEqual([0xc0, 0]) // PINGREQ
    vi.advanceTimersByTime(30_000) // 45 s = 1.5× with nothing received
    expect(closes).toHaveLength(1)
    expect(closes[0]?.code).toBe('CONNECTION_LOST')
    expect(closes[0]?.message).toContain('keep-alive')
    await transport.close()
  })
})
