import { describe, expect, it } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { eventually } from '../helpers/wait.js'
import { closed, connect, lifecycleLog } from './support.js'

describe('quota: retained messages', () => {
  it('bounds all retained payloads together (the stand-in’s own memory bound)', async () => {
    const broker = await useBroker({ logger: 'silent', quotas: { retainedBytesTotal: 10 } })
    const post = (topic: string, body: string): Promise<Response> => fetch(`${broker.httpUrl}/topics/${topic}?retain=true`, { method: 'POST', body })
    expect((await post('b/1', '123456')).status).toBe(200)
    expect((await post('b/1', '1234567890')).status).toBe(200) // replaces its own 6 bytes
    const over = await post('b/2', '1')
    expect(over.status).toBe(429)
    expect(await over.json()).toEqual({ message: 'more than 10 bytes of retained messages' })
    expect((await post('b/1', '')).status).toBe(200)
    expect((await post('b/2', '1')).status).toBe(200)
  })

  it('refuses a new retained topic past the count (THROTTLED over MQTT, 429 over HTTP); replacing and deleting still work', async () => {
    const broker = await useBroker({ logger: 'silent', quotas: { retainedMessages: 2 } })
    const log = lifecycleLog(broker)
    const client = await connect(broker.url, { clientId: 'retainer' })
    await client.publishAsync('r/1', 'one', { qos: 1, retain: true })
    await client.publishAsync('r/2', 'two', { qos: 1, retain: true })
    await client.publishAsync('r/2', 'two again', { qos: 1, retain: true }) // replaces: no new one
    const http = await fetch(`${broker.httpUrl}/topics/r/3?retain=true`, { method: 'POST', body: 'three' })
    expect(http.status).toBe(429)
    expect(http.headers.get('x-amzn-errortype')).toBe('ThrottlingException')
    expect(await http.json()).toEqual({ message: 'more than 2 retained messages' })
    const gone = closed(client)
    client.publish('r/3', 'three', { qos: 1, retain: true })
    await gone
    await eventually(() => log.some((e) => e.topic === '$aws/events/presence/disconnected/retainer'))
    expect(log.find((e) => e.topic === '$aws/events/presence/disconnected/retainer')!.payload.disconnectReason).toBe('THROTTLED')
    expect((await fetch(`${broker.httpUrl}/retainedMessage/r/3`)).status).toBe(404)
    // an empty retained payload deletes one, which makes room
    expect((await fetch(`${broker.httpUrl}/topics/r/1?retain=true`, { method: 'POST', body: '' })).status).toBe(200)
    expect((await fetch(`${broker.httpUrl}/topics/r/3?retain=true`, { method: 'POST', body: 'three' })).status).toBe(200)
  })

  it('refuses a retained message over its size (CLIENT_ERROR), while the same payload unretained passes', async () => {
    const broker = await useBroker({ logger: 'silent', quotas: { retainedMessageBytes: 10 } })
    const log = lifecycleLog(broker)
    const client = await connect(broker.url, { clientId: 'big-retainer' })
    await client.publishAsync('r/big', '12345678901', { qos: 1 })
    expect((await fetch(`${broker.httpUrl}/topics/r/big?retain=true`, { method: 'POST', body: '12345678901' })).status).toBe(413)
    const gone = closed(client)
    client.publish('r/big', '12345678901', { qos: 1, retain: true })
    await gone
    await eventually(() => log.some((e) => e.topic === '$aws/events/presence/disconnected/big-retainer'))
    expect(log.find((e) => e.topic === '$aws/events/presence/disconnected/big-retainer')!.payload.disconnectReason).toBe('CLIENT_ERROR')
  })
})
