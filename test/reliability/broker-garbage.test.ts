// The broker under garbage: random and truncated MQTT packets over raw TCP and as WebSocket
// frames. Whatever one socket sends, the broker keeps serving everyone else.
import { connect, type Socket } from 'node:net'
import type { RunningBroker } from '@livetopic/broker'
import fc from 'fast-check'
import WebSocket from 'ws'
import { describe, expect, it } from 'vitest'
import { aedesClients } from '../helpers/aedes-clients.js'
import { useBroker } from '../helpers/broker.js'
import { countDrops, useClient } from '../helpers/clients.js'
import { connectPacket, publishPacket, subscribePacket } from '../helpers/mqtt-bytes.js'
import { eventually, waitFor } from '../helpers/wait.js'

const SAMPLES = 150

/** Random byte strings, biased towards MQTT-looking first bytes. */
function garbage(seed: number): Buffer[] {
  const header = fc.constantFrom(0x10, 0x20, 0x30, 0x32, 0x82, 0xa2, 0xc0, 0xe0, 0xf0, 0x00, 0xff)
  const arb = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.tuple(header, fc.uint8Array({ maxLength: 64 })).map(([h, rest]) => Uint8Array.from([h, ...rest])),
  )
  return fc.sample(arb, { numRuns: SAMPLES, seed }).map((bytes) => Buffer.from(bytes))
}

/** Every prefix of a valid session (CONNECT, SUBSCRIBE, PUBLISH), plus corrupted variants. */
function truncatedAndCorrupted(): Buffer[] {
  const session = Buffer.concat([connectPacket('garbage-t'), subscribePacket('g/#'), publishPacket('g/x', Buffer.from('hi'))])
  const out: Buffer[] = []
  for (let i = 1; i < session.length; i += 3) out.push(session.subarray(0, i))
  for (let i = 0; i < session.length; i += 5) {
    const copy = Buffer.from(session)
    copy[i] = copy[i]! ^ 0xff
    out.push(copy)
  }
  // a remaining length announcing 256 MB, and a never-ending varint
  out.push(Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f, 0x00]))
  out.push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0xff]))
  // a second CONNECT on one connection (protocol violation)
  out.push(Buffer.concat([connectPacket('garbage-2'), connectPacket('garbage-2')]))
  return out
}

function sendTcp(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1', () => {
      socket.write(bytes)
      // leave it open a moment (a half-sent packet), then hang up
      setTimeout(() => socket.destroy(), 20)
    })
    socket.on('error', () => {})
    socket.on('close', () => resolve())
  })
}

function sendWs(url: string, frames: Buffer[]): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, 'mqtt')
    ws.on('open', () => {
      for (const frame of frames) ws.send(frame, { binary: true })
      // a text frame too: MQTT over WebSocket must be binary
      ws.send('this is not MQTT')
      setTimeout(() => ws.terminate(), 20)
    })
    ws.on('error', () => {})
    ws.on('close', () => resolve())
  })
}

async function expectStillServing(broker: RunningBroker, round: number, live: ReturnType<typeof useClient>, drops: () => number): Promise<void> {
  const store = live.topic<{ round: number }>('healthy/ping')
  await live.publish('healthy/ping', { round }, { qos: 1 })
  await waitFor(store, (v) => v.data?.round === round, 5000)
  expect(live.status.get().status).toBe('connected')
  expect(drops()).toBe(0)
  expect(broker.aedes.closed).toBe(false)
}

describe('broker under garbage', () => {
  it('raw TCP: random bytes, truncated and corrupted packets', async () => {
    const broker = await useBroker({ mqttPort: true, logger: 'silent' })
    const live = useClient({ url: broker.url })
    const off = live.topic('healthy/ping').listen(() => {})
    await waitFor(live.topic('healthy/ping'), (v) => v.status === 'subscribed')
    const drops = countDrops(live)
    await expectStillServing(broker, 0, live, drops)

    const inputs = [...garbage(1), ...truncatedAndCorrupted()]
    // ten sockets at a time
    for (let i = 0; i < inputs.length; i += 10) await Promise.all(inputs.slice(i, i + 10).map((b) => sendTcp(broker.mqttPort!, b)))
    await expectStillServing(broker, 1, live, drops)
    // the same bytes at the HTTP/WebSocket port (not an upgrade at all)
    for (let i = 0; i < 40; i += 10) await Promise.all(inputs.slice(i, i + 10).map((b) => sendTcp(broker.port, b)))
    await expectStillServing(broker, 2, live, drops)
    // nothing left behind but the healthy client (aedes' `connectedClients` counter sometimes
    // drifts by one after this many concurrent garbage sockets; its client table does not)
    await eventually(() => aedesClients(broker).length === 1, 5000, 'only the healthy client left')
    off()
  }, 30_000)

  it('WebSocket: random binary frames, truncated packets, a text frame', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const live = useClient({ url: broker.url })
    const off = live.topic('healthy/ping').listen(() => {})
    await waitFor(live.topic('healthy/ping'), (v) => v.status === 'subscribed')
    const drops = countDrops(live)

    const inputs = [...garbage(2), ...truncatedAndCorrupted()]
    // one frame per connection, and a few connections sending many frames
    for (let i = 0; i < inputs.length; i += 10) await Promise.all(inputs.slice(i, i + 10).map((b) => sendWs(broker.url, [b])))
    await expectStillServing(broker, 1, live, drops)
    await Promise.all(
      [0, 1, 2, 3].map((k) =>
        sendWs(
          broker.url,
          inputs.filter((_, i) => i % 4 === k),
        ),
      ),
    )
    // a valid CONNECT, then garbage in the same stream
    await sendWs(broker.url, [connectPacket('ws-garbage'), ...garbage(3).slice(0, 20)])
    await expectStillServing(broker, 2, live, drops)
    await eventually(() => aedesClients(broker).length === 1, 5000, 'only the healthy client left')
    off()
  }, 30_000)
})
