import { describe, expect, it, onTestFinished } from 'vitest'
import WebSocket from 'ws'
import type { Denial } from '@livetopic/broker'
import { useBroker } from '../helpers/broker.js'
import { eventually } from '../helpers/wait.js'
import { connect } from './support.js'

/** Opens a WebSocket to the MQTT endpoint from `localAddress` and sends nothing: 'open', or the refusal. */
function idle(url: string, localAddress: string): Promise<{ ws: WebSocket; result: string }> {
  const ws = new WebSocket(url, 'mqtt', { localAddress })
  onTestFinished(() => ws.terminate())
  return new Promise((resolve) => {
    ws.once('open', () => resolve({ ws, result: 'open' }))
    ws.once('unexpected-response', (_req, res) => resolve({ ws, result: String(res.statusCode) }))
    ws.once('error', (e) => resolve({ ws, result: e.message }))
  })
}

describe('connections not yet accepted', () => {
  it('are capped per address and in all; a client from elsewhere still connects, and a freed place is reused', async () => {
    const broker = await useBroker({ logger: 'silent', pending: { maxPending: 12, maxPendingPerAddress: 8 } })
    const denials: Denial[] = []
    broker.events.on('denied', (d) => denials.push(d))
    const first = await Promise.all(Array.from({ length: 11 }, () => idle(broker.url, '127.0.0.1')))
    expect(first.map((c) => c.result).sort()).toEqual([...Array<string>(8).fill('open'), ...Array<string>(3).fill('503')].sort())
    expect(denials.filter((d) => d.resource === 'connection')).toHaveLength(3)
    expect(denials[0]!.reason).toMatch(/8 connections from this address/)
    // a legitimate client on another address connects (and, accepted, leaves the pending count)
    const legit = await connect(broker.url, { clientId: 'legit', wsOptions: { localAddress: '127.0.0.2' } })
    expect(legit.connected).toBe(true)
    // 8 + 4 = the total cap: a third address is refused too
    const second = await Promise.all(Array.from({ length: 5 }, () => idle(broker.url, '127.0.0.3')))
    expect(second.map((c) => c.result).sort()).toEqual([...Array<string>(4).fill('open'), '503'].sort())
    expect(denials.at(-1)!.reason).toMatch(/12 connections are waiting/)
    // a closed one frees its place
    first.find((c) => c.result === 'open')!.ws.terminate()
    await eventually(async () => (await idle(broker.url, '127.0.0.4')).result === 'open', 5000, 'a freed place')
  })

  it('closes a WebSocket that sends more than 256 frames (a fragment flood) before its CONNECT is accepted', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const denials: Denial[] = []
    broker.events.on('denied', (d) => denials.push(d))
    const { ws, result } = await idle(broker.url, '127.0.0.1')
    expect(result).toBe('open')
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()))
    // one message of 16,383 one-byte fragments (the flood): ws would keep each as its own buffer
    for (let i = 0; i < 16_383; i++) ws.send(Buffer.from([0x10]), { fin: false })
    await closed
    expect(denials.map((d) => d.reason)).toContain('more than 256 WebSocket frames before the CONNECT was accepted')
    expect((await connect(broker.url, { clientId: 'after-flood' })).connected).toBe(true)
  })

  it('closes a WebSocket whose first frame announces more than a CONNECT may hold, before ws buffers it', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const denials: Denial[] = []
    broker.events.on('denied', (d) => denials.push(d))
    const { ws } = await idle(broker.url, '127.0.0.1')
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()))
    ws.send(Buffer.alloc(1024 * 1024))
    await closed
    expect(denials.map((d) => d.reason)).toContain(`a WebSocket frame of ${1024 * 1024} bytes before the CONNECT was accepted`)
  })
})
