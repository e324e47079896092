import { connect as tcpConnect } from 'node:net'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { useBroker } from '../helpers/broker.js'

/** MQTT 3.1.1 CONNECT: empty client id, CleanSession=0, keep-alive 60 s. */
const EMPTY_ID_PERSISTENT = Buffer.from('100c00044d5154540400003c0000', 'hex')
/** CONNACK with return code 0x02, identifier rejected [MQTT-3.1.3-8]. */
const IDENTIFIER_REJECTED = Buffer.from('20020002', 'hex')

/** Sends bytes and collects what comes back until the server closes. */
function overTcp(port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = tcpConnect(port, '127.0.0.1', () => socket.write(bytes))
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.once('error', reject)
    socket.once('close', () => resolve(Buffer.concat(chunks)))
  })
}

function overWebSocket(url: string, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const ws = new WebSocket(url, 'mqtt')
    ws.once('open', () => ws.send(bytes))
    ws.on('message', (c: Buffer) => chunks.push(c))
    ws.once('error', reject)
    ws.once('close', () => resolve(Buffer.concat(chunks)))
  })
}

describe('empty client id with CleanSession=0 [MQTT-3.1.3-8]', () => {
  it('gets CONNACK 0x02 and a close over TCP', async () => {
    const broker = await useBroker({ logger: 'silent', mqttPort: true })
    expect(await overTcp(broker.mqttPort!, EMPTY_ID_PERSISTENT)).toEqual(IDENTIFIER_REJECTED)
    expect(broker.connections()).toEqual([])
  })

  it('gets CONNACK 0x02 and a close over WebSocket, while an empty id with CleanSession=1 is accepted', async () => {
    const broker = await useBroker({ logger: 'silent' })
    expect(await overWebSocket(broker.url, EMPTY_ID_PERSISTENT)).toEqual(IDENTIFIER_REJECTED)
    const clean = Buffer.from('100c00044d5154540402003c0000', 'hex')
    const ws = new WebSocket(broker.url, 'mqtt')
    const connack = await new Promise<Buffer>((resolve, reject) => {
      ws.once('open', () => ws.send(clean))
      ws.once('message', (c: Buffer) => resolve(c))
      ws.once('error', reject)
    })
    ws.close()
    expect(connack).toEqual(Buffer.from('20020000', 'hex'))
  })
})
