import { describe, expect, it } from 'vitest'
import {
  DeleteConnectionCommand,
  GetRetainedMessageCommand,
  IoTDataPlaneClient,
  ListRetainedMessagesCommand,
  PublishCommand,
} from '@aws-sdk/client-iot-data-plane'
import type { RunningBroker } from '@livetopic/broker'
import { useBroker } from '../helpers/broker.js'
import { eventually } from '../helpers/wait.js'
import { closed, connect, inbox, lifecycleLog } from './support.js'

const sdk = (broker: RunningBroker, bearer?: string): IoTDataPlaneClient => {
  const client = new IoTDataPlaneClient({
    endpoint: broker.httpUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  })
  if (bearer) {
    // the stand-in's optional bearer token replaces SigV4's Authorization header, just before sending
    client.middlewareStack.add(
      (next) => (args) => {
        ;(args.request as { headers: Record<string, string> }).headers.authorization = `Bearer ${bearer}`
        return next(args)
      },
      { step: 'deserialize', priority: 'low' },
    )
  }
  return client
}

describe('IoT Data Plane HTTP API (official AWS SDK client)', () => {
  it('publishes to MQTT subscribers with qos and retain', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const sub = await connect(broker.url, { clientId: 'sub' })
    const seen = inbox(sub)
    await sub.subscribeAsync('rooms/+/messages', { qos: 1 })
    await sdk(broker).send(new PublishCommand({ topic: 'rooms/lobby/messages', qos: 1, payload: new TextEncoder().encode('{"text":"from the backend"}') }))
    await eventually(() => seen.length === 1)
    expect(seen[0]).toMatchObject({ topic: 'rooms/lobby/messages', text: '{"text":"from the backend"}' })
  })

  it('stores, reads and lists retained messages, and deletes one with an empty payload', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const api = sdk(broker)
    await api.send(new PublishCommand({ topic: 'status/a', retain: true, qos: 1, payload: Buffer.from('A') }))
    await api.send(new PublishCommand({ topic: 'status/b', retain: true, payload: Buffer.from('BB') }))
    const a = await api.send(new GetRetainedMessageCommand({ topic: 'status/a' }))
    expect(a.topic).toBe('status/a')
    expect(Buffer.from(a.payload!).toString()).toBe('A')
    expect(a.qos).toBe(1)
    expect(a.lastModifiedTime).toBeGreaterThan(0)
    const listed = await api.send(new ListRetainedMessagesCommand({}))
    expect(listed.retainedTopics?.map((r) => [r.topic, r.payloadSize, r.qos])).toEqual([
      ['status/a', 1, 1],
      ['status/b', 2, 0],
    ])
    const page = await api.send(new ListRetainedMessagesCommand({ maxResults: 1 }))
    expect(page.retainedTopics).toHaveLength(1)
    expect(page.nextToken).toBeDefined()

    const sub = await connect(broker.url, { clientId: 'late' })
    const seen = inbox(sub)
    await sub.subscribeAsync('status/b', { qos: 1 })
    await eventually(() => seen.length === 1)
    expect(seen[0]).toMatchObject({ text: 'BB', retain: true })

    await api.send(new PublishCommand({ topic: 'status/a', retain: true, payload: new Uint8Array() }))
    await expect(api.send(new GetRetainedMessageCommand({ topic: 'status/a' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    })
  })

  it('disconnects a client with DeleteConnection (404 for an unknown id)', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const log = lifecycleLog(broker)
    const c = await connect(broker.url, { clientId: 'kick-me' })
    const gone = closed(c)
    await sdk(broker).send(new DeleteConnectionCommand({ clientId: 'kick-me' }))
    await gone
    await eventually(() => log.some((e) => e.payload.eventType === 'disconnected'))
    expect(log.at(-1)!.payload.disconnectReason).toBe('SERVER_INITIATED_DISCONNECT')
    await expect(sdk(broker).send(new DeleteConnectionCommand({ clientId: 'nobody' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' })
  })

  it('answers IoT’s status codes for bad requests', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const api = sdk(broker)
    await expect(api.send(new PublishCommand({ topic: 'x', payload: Buffer.alloc(128 * 1024 + 1) }))).rejects.toMatchObject({
      name: 'RequestEntityTooLargeException',
      $metadata: { httpStatusCode: 413 },
    })
    await expect(api.send(new PublishCommand({ topic: 'a/b/c/d/e/f/g/h/i', payload: Buffer.from('x') }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
    })
    await expect(api.send(new PublishCommand({ topic: 'a/+', payload: Buffer.from('x') }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } })
    await expect(api.send(new PublishCommand({ topic: '$aws/things/x', payload: Buffer.from('x') }))).rejects.toMatchObject({ name: 'ForbiddenException' })
    const wrongMethod = await fetch(`${broker.httpUrl}/topics/x`, { method: 'GET' })
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.get('x-amzn-errortype')).toBe('MethodNotAllowedException')
  })

  it('checks topics as an MQTT PUBLISH is checked: NUL, wildcards, empty topic, limits (400 with IoT’s error shape)', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const listener = await connect(broker.url, { clientId: 'nul-listener' })
    await listener.subscribeAsync('rooms/#')
    const seen = inbox(listener)
    for (const path of ['rooms/a%00b', 'rooms/%2B', 'rooms/a%23', '%00', `rooms/${'x'.repeat(300)}`]) {
      const res = await fetch(`${broker.httpUrl}/topics/${path}`, { method: 'POST', body: 'x' })
      expect(res.status, path).toBe(400)
      expect(res.headers.get('x-amzn-errortype')).toBe('InvalidRequestException')
      expect(Object.keys((await res.json()) as object)).toEqual(['message'])
    }
    const emptyTopic = await fetch(`${broker.httpUrl}/topics/%2F`, { method: 'POST', body: 'x' }) // '/' is a topic MQTT accepts
    expect(emptyTopic.status).toBe(200)
    await fetch(`${broker.httpUrl}/topics/rooms/ok`, { method: 'POST', body: 'ok' })
    await eventually(() => seen.length === 1)
    expect(seen.map((m) => m.topic)).toEqual(['rooms/ok'])
  })

  it('accepts the MQTT 5 headers (user properties must be a base64 JSON array)', async () => {
    const broker = await useBroker({ logger: 'silent' })
    await sdk(broker).send(
      new PublishCommand({ topic: 'h', payload: Buffer.from('x'), userProperties: JSON.stringify([{ k: 'v' }]), payloadFormatIndicator: 'UTF8_DATA' }),
    )
    const bad = await fetch(`${broker.httpUrl}/topics/h`, { method: 'POST', headers: { 'x-amz-mqtt5-user-properties': 'not base64 json' }, body: 'x' })
    expect(bad.status).toBe(400)
  })

  it('needs the bearer token when httpToken is set, and answers GET / with a short page when the dashboard is off', async () => {
    const broker = await useBroker({ logger: 'silent', httpToken: 'local-http-token', dashboard: false })
    await expect(sdk(broker).send(new PublishCommand({ topic: 't', payload: Buffer.from('x') }))).rejects.toMatchObject({
      name: 'UnauthorizedException',
      $metadata: { httpStatusCode: 401 },
    })
    await sdk(broker, 'local-http-token').send(new PublishCommand({ topic: 't', payload: Buffer.from('x') }))
    const home = await fetch(`${broker.httpUrl}/`)
    expect(home.status).toBe(200)
    expect(await home.text()).toContain(broker.url)
  })
})
