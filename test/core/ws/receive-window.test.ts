// The answers to one WebSocket message leave as one frame: joinFrames on its own, then the built-in
// transport against a real WebSocket server that sees each client message as it was sent.
import { afterEach, describe, expect, it } from 'vitest'
import { joinFrames } from '../../../packages/core/src/ws/receive-window.js'
import { connectTransport } from '../../helpers/hostile-transport.js'
import { startHostileServer, type HostileServer } from '../../helpers/hostile-ws-server.js'
import { publish } from '../../helpers/raw-mqtt-server.js'
import { eventually } from '../../helpers/wait.js'

describe('joinFrames', () => {
  it('none: nothing to send; one: the same bytes, not copied; several: joined in order', () => {
    expect(joinFrames([])).toBeUndefined()
    const one = Uint8Array.of(0x40, 2, 0, 1)
    expect(joinFrames([one])).toBe(one)
    expect([...joinFrames([one, Uint8Array.of(0x50, 2, 0, 2), Uint8Array.of(0x70, 2, 0, 3)])!]).toEqual([0x40, 2, 0, 1, 0x50, 2, 0, 2, 0x70, 2, 0, 3])
  })
})

describe('built-in transport: answers gathered per WebSocket message', () => {
  const servers: HostileServer[] = []
  const closers: (() => Promise<void>)[] = []
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()))
    await Promise.all(servers.splice(0).map((s) => s.close()))
  })

  async function connect(onMessage: (topic: string) => void = () => {}) {
    const server = await startHostileServer()
    servers.push(server)
    const connected = await connectTransport(server, { clientId: 'r', onMessage })
    closers.push(() => connected.transport.close())
    return connected
  }

  it('three QoS 1 PUBLISHes, a QoS 2 one and a PUBREL in one message: one frame with all five answers', async () => {
    const seen: string[] = []
    const { conn } = await connect((topic) => seen.push(topic))
    const answers = conn.next()
    conn.send([...publish('a/1', [1], 1, 1), ...publish('a/2', [2], 1, 2), ...publish('a/3', [3], 1, 3), ...publish('b', [4], 2, 9), 0x62, 2, 0, 9])
    expect([...(await answers)]).toEqual([0x40, 2, 0, 1, 0x40, 2, 0, 2, 0x40, 2, 0, 3, 0x50, 2, 0, 9, 0x70, 2, 0, 9])
    expect(seen).toEqual(['a/1', 'a/2', 'a/3', 'b'])
  })

  it('answers to a burst of messages (one TCP read, three WebSocket messages) leave as one frame', async () => {
    const seen: string[] = []
    const { conn } = await connect((topic) => seen.push(topic))
    const answers = conn.next()
    const one = (n: number): number[] => publish(`a/${n}`, [n], 1, n)
    conn.sendSplit(Uint8Array.from([...one(1), ...one(2), ...one(3)]), one(1).length)
    expect([...(await answers)]).toEqual([0x40, 2, 0, 1, 0x40, 2, 0, 2, 0x40, 2, 0, 3])
    expect(seen).toEqual(['a/1', 'a/2', 'a/3'])
  })

  it('a listener that closes the transport mid-message: DISCONNECT goes out (a clean close: no will), nothing thrown', async () => {
    const seen: string[] = []
    const { conn, closes } = await connect((topic) => {
      seen.push(topic)
      void closers[0]?.() // the transport's close(), from inside its listener
    })
    const sent: Buffer[] = []
    const read = (): void =>
      void conn.next().then(
        (b) => {
          sent.push(b)
          read()
        },
        () => {},
      )
    read()
    conn.send([...publish('a/1', [1], 1, 1), ...publish('a/2', [2], 1, 2)])
    await eventually(() => closes.length === 1, 5000, 'the close')
    expect(seen).toEqual(['a/1']) // the socket ended with the first listener: the second packet was not delivered
    await eventually(() => sent.flatMap((b) => [...b]).includes(0xe0), 5000, 'the DISCONNECT')
    // a/1's PUBACK would follow its listener, which closed the socket: unacknowledged, the broker
    // resends it in a later session (at least once)
    expect(sent.flatMap((b) => [...b])).toEqual([0xe0, 0])
  })
})
