// The stand-in reaches past aedes' and mqtt-packet's public API in one place
// (packages/broker/src/aedes-adapter/). This checks every private field and behaviour it relies on,
// on the installed versions, and that those are the versions pinned: an upgrade that changes one
// fails here, not as a lost message in the soak.
import { readFileSync } from 'node:fs'
import { Writable } from 'node:stream'
import type { Client } from 'aedes'
import mqttPacket from 'mqtt-packet'
import { describe, expect, it } from 'vitest'
import { createWebSocketStream, WebSocket, WebSocketServer } from 'ws'
import { useBroker } from '../helpers/broker.js'
import { connect } from './support.js'

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')
const brokerPackage = JSON.parse(read('packages/broker/package.json')) as { dependencies: Record<string, string> }
const installed = (name: string): string => (JSON.parse(read(`node_modules/${name}/package.json`)) as { version: string }).version

describe('aedes and mqtt-packet internals the adapter relies on', () => {
  it('are the exact versions pinned in packages/broker/package.json', () => {
    for (const name of ['aedes', 'aedes-persistence', 'mqtt-packet']) {
      expect(brokerPackage.dependencies[name], `${name} pinned`).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/) // exact, a pre-release included
      expect(installed(name), `${name} installed`).toBe(brokerPackage.dependencies[name])
    }
  })

  it("aedes' broker, client, parser and session store have the fields and methods replaced or read", async () => {
    const broker = await useBroker({ logger: 'silent' })
    const events: string[] = []
    broker.aedes.on('client', () => events.push('client'))
    broker.aedes.on('connackSent', (packet: { returnCode?: number }, c: Client) => events.push(`connackSent ${packet.returnCode} ${c.id}`))
    const mqtt = await connect(broker.url, { clientId: 'inspected', clean: false })
    await mqtt.subscribeAsync('a/b', { qos: 1 })
    expect(events).toEqual(['client', 'connackSent 0 inspected'])

    const aedes = broker.aedes as unknown as Record<string, unknown>
    expect(typeof aedes.preConnect).toBe('function')
    expect(typeof aedes.authorizeForward).toBe('function')
    const client = (aedes.clients as Record<string, Record<string, unknown>>).inspected!
    expect(client).toBeDefined()
    for (const fn of ['deliver0', 'deliverQoS', 'close']) expect(typeof client[fn], fn).toBe('function')
    expect(Object.keys(client.subscriptions as object)).toEqual(['a/b'])
    expect(client._disconnected).toBe(false)
    expect(client).toHaveProperty('will')
    expect(client.closed).toBe(false)

    const parser = client._parser as Record<string, unknown>
    for (const fn of ['prependListener', 'parse', '_parseString']) expect(typeof parser[fn], fn).toBe('function')
    expect(typeof parser._pos).toBe('number')
    expect(typeof (parser._list as { slice?: unknown }).slice).toBe('function')

    const persistence = aedes.persistence as Record<string, (...args: unknown[]) => Promise<unknown>>
    for (const fn of ['outgoingUpdate', 'outgoingClearMessageId', 'outgoingEnqueueCombi', 'outgoingStream', 'cleanSubscriptions']) {
      expect(typeof persistence[fn], fn).toBe('function')
    }
    // the in-memory store names the missing packet this way (session-store-fixes.ts matches it);
    // reached through the unwrapped prototype, as the stand-in's wrapper swallows it
    const memory = Object.getPrototypeOf(persistence) as typeof persistence
    await expect(memory.outgoingUpdate!.call(persistence, { id: 'nobody' }, { brokerId: 'x', brokerCounter: 1, messageId: 1 })).rejects.toThrow(
      'no such packet',
    )
    await mqtt.endAsync()
    await new Promise((r) => setTimeout(r, 50))
    expect(client.closed).toBe(true)
    expect(client._disconnected).toBe(true)
  })

  it('aedes 2 writes every packet through the shared mqtt-packet and has the MQTT 5 internals the adapter uses', async () => {
    // packet-writes.ts replaces mqtt-packet's writeToStream: aedes must call it through the module object, one copy
    expect(read('node_modules/aedes/lib/write.js')).toMatch(/import mqtt from 'mqtt-packet'[\s\S]*mqtt\.writeToStream\(packet, client\.conn/)
    expect(() => readFileSync(new URL('../../node_modules/aedes/node_modules/mqtt-packet/package.json', import.meta.url))).toThrow()
    const connectHandler = read('node_modules/aedes/lib/handlers/connect.js')
    // packet-checks.ts sets _serverKeepAlive for MQTT 5 before aedes reads it
    expect(connectHandler).toContain('const keepalive = client._serverKeepAlive ?? this.packet.keepalive')
    expect(connectHandler).toContain('arg.properties.serverKeepAlive = client._serverKeepAlive')
    // lifecycle-wiring.ts writes the 0x8D DISCONNECT in the event aedes emits just before it closes
    expect(connectHandler).toMatch(/emit\('keepaliveTimeout', client\)\s*\n\s*client\.emit\('error'/)
    // shared-subscriptions.ts rewrites what aedes still refuses (drop the rewrite when this fails)
    expect(read('node_modules/aedes/lib/handlers/subscribe.js')).toContain("const SHARE_PREFIX = '$share/'")

    const broker = await useBroker({ logger: 'silent' })
    const seen: Record<string, unknown>[] = []
    const forward = broker.aedes.authorizeForward.bind(broker.aedes)
    broker.aedes.authorizeForward = (c, packet) => {
      seen.push(packet as unknown as Record<string, unknown>)
      return forward(c, packet)
    }
    const mqtt = await connect(broker.url, { clientId: 'five', protocolVersion: 5, properties: { receiveMaximum: 7 } })
    const client = (broker.aedes as unknown as { clients: Record<string, Record<string, unknown>> }).clients.five!
    expect(client.receiveMaximum).toBe(7)
    expect(typeof client.disconnect).toBe('function')
    await mqtt.subscribeAsync('x/y', { qos: 1 })
    await mqtt.publishAsync('x/y', 'm', { qos: 1 })
    await new Promise((r) => setTimeout(r, 50))
    // shared-subscriptions.ts tells one message from another by these
    expect(typeof seen[0]?.brokerId).toBe('string')
    expect(typeof seen[0]?.brokerCounter).toBe('number')
  })

  it('mqtt-packet corks a stream once per packet it writes (outgoing-queue.ts counts packets so)', () => {
    let corks = 0
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() })
    const cork = sink.cork.bind(sink)
    sink.cork = () => {
      corks++
      cork()
    }
    mqttPacket.writeToStream({ cmd: 'publish', topic: 'a/b', payload: Buffer.from('x'), qos: 1, messageId: 7, retain: false, dup: false }, sink)
    mqttPacket.writeToStream({ cmd: 'pingresp' }, sink)
    expect(corks).toBe(2)
  })

  it("ws' stream has the _final and _destroy the coalescing stream wraps, and ws puts an upgrade's head back into the socket", async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    await new Promise((r) => server.once('listening', r))
    const port = (server.address() as { port: number }).port
    const accepted = new Promise<WebSocket>((r) => server.once('connection', r))
    const client = new WebSocket(`ws://127.0.0.1:${port}`)
    client.on('error', () => {})
    await new Promise((r) => client.once('open', r))
    const ws = await accepted
    const stream = createWebSocketStream(ws) as unknown as Record<string, unknown>
    expect(typeof stream._final).toBe('function')
    expect(typeof stream._destroy).toBe('function')
    expect((ws as unknown as { _socket?: unknown })._socket).toBeDefined()
    client.terminate()
    ws.terminate()
    await new Promise((r) => server.close(r))
    // pending-connections.ts sees the head only because ws re-emits it as the socket's data
    expect(read('node_modules/ws/lib/websocket.js')).toContain('socket.unshift(head)')
  })
})
