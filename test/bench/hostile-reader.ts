// Hostile reassembly (issue 22, item 1): a broker sends one 1 MiB PUBLISH as 1,048,576 one-byte
// WebSocket messages. The packet reader used to copy the stored part plus the new byte each time
// (quadratic: 152 s for 1 MiB); it now keeps the pieces and copies once. Rows: the reader alone
// (target < 1 s), the built-in transport over a real WebSocket from a raw server, and `ws` alone
// receiving the same frames (the floor under the transport). Every phase has a deadline: a stall
// is a failed row saying what it waited for.
import { WebSocket } from 'ws'
import { wsTransport } from '@livetopic/core'
import { packetReader } from '../../packages/core/src/wire/reader.js'
import { publishBytes, startHostileServer, type HostileServer } from '../helpers/hostile-ws-server.js'
import { main, SHORT, type BenchRow } from './lib/result.js'
import { round } from './lib/stats.js'

const MiB = 1024 * 1024
const REPEATS = SHORT ? 1 : 3
const DEADLINE_MS = SHORT ? 20_000 : 60_000
const PACKET = publishBytes('bench/hostile', new Uint8Array(MiB).fill(0x61))

/** `phase` within the deadline, or the name of what it was waiting for. */
async function within<T>(what: string, phase: Promise<T>): Promise<T | { stalled: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const stall = new Promise<{ stalled: string }>((resolve) => (timer = setTimeout(() => resolve({ stalled: what }), DEADLINE_MS)))
  try {
    return await Promise.race([phase, stall])
  } finally {
    clearTimeout(timer)
  }
}

function readerAlone(): number {
  const reader = packetReader(4, 2 * MiB)
  let packets = 0
  const start = performance.now()
  for (let i = 0; i < PACKET.length; i++) reader.push(PACKET.subarray(i, i + 1), () => packets++)
  const took = performance.now() - start
  if (packets !== 1) throw new Error(`the reader produced ${packets} packets`)
  return took
}

/** The built-in transport connected to `server`; resolves with ms from the write to the delivery. */
async function throughTransport(server: HostileServer): Promise<number> {
  let delivered!: () => void
  let connected!: () => void
  const message = new Promise<void>((resolve) => (delivered = resolve))
  const connack = new Promise<void>((resolve) => (connected = resolve))
  const transport = wsTransport({ WebSocket, maxPacketSize: 2 * MiB })(
    { clientId: 'bench', protocolVersion: 4, keepalive: 0, clean: true, wsSubprotocol: 'mqtt', connectTimeout: 5000 },
    { onConnect: () => connected(), onMessage: (_t, payload) => payload.length === MiB && delivered(), onClose: () => {} },
  )
  try {
    transport.open(server.url, {})
    const conn = await server.accept()
    await conn.next()
    conn.send([0x20, 2, 0, 0])
    await connack
    const start = performance.now()
    conn.sendSplit(PACKET, 1)
    await message
    return performance.now() - start
  } finally {
    await transport.close()
  }
}

/** `ws` alone, counting the same frames: what any client on `ws` pays before its own code runs. */
async function wsAlone(server: HostileServer): Promise<number> {
  const ws = new WebSocket(server.url, ['mqtt'])
  ws.binaryType = 'nodebuffer'
  try {
    await new Promise((resolve) => ws.once('open', resolve))
    ws.send(Buffer.of(0))
    const conn = await server.accept()
    await conn.next()
    let count = 0
    const all = new Promise<void>((resolve) => ws.on('message', () => ++count === PACKET.length && resolve()))
    const start = performance.now()
    conn.sendSplit(PACKET, 1)
    await all
    return performance.now() - start
  } finally {
    ws.terminate()
  }
}

async function measure(): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  const note = `${PACKET.length} one-byte messages; min of ${REPEATS}`
  const row = (metric: string, samples: number[], stalled: string | undefined, target?: number): BenchRow => {
    const value = stalled ? -1 : round(Math.min(...samples))
    return {
      bench: 'hostile-reader',
      metric,
      value,
      unit: 'ms',
      ...(target === undefined ? {} : { target: `< ${target}`, ok: !stalled && value < target }),
      ...(stalled ? { ok: false, note: `stalled: no ${stalled} within ${DEADLINE_MS} ms` } : { note }),
    }
  }
  const reader: number[] = []
  for (let r = 0; r < REPEATS; r++) reader.push(readerAlone())
  rows.push(row('1 MiB PUBLISH in 1-byte pieces, PacketReader alone', reader, undefined, 1000))

  const server = await startHostileServer()
  try {
    for (const [metric, run, what] of [
      ['same over a real WebSocket, built-in transport (ws)', throughTransport, 'delivery of the 1 MiB message'],
      ['same frames to `ws` alone (floor under the transport)', wsAlone, 'last of the 1-byte messages'],
    ] as const) {
      const samples: number[] = []
      let stalled: string | undefined
      for (let r = 0; r < REPEATS && !stalled; r++) {
        const result = await within(what, run(server))
        if (typeof result === 'number') samples.push(result)
        else stalled = result.stalled
      }
      rows.push(row(metric, samples, stalled))
    }
  } finally {
    await server.close()
  }
  return rows
}

main(measure)
