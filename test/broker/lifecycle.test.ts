import { connect as tcpConnect } from 'node:net'
import { describe, expect, it } from 'vitest'
import mqttPacket from 'mqtt-packet'
import { useBroker } from '../helpers/broker.js'
import { eventually } from '../helpers/wait.js'
import { allowAll, closed, connect, inbox, lifecycleLog, policy, recordingAuthorizer, refusal, ARN } from './support.js'

const reasons = (log: { topic: string; payload: Record<string, unknown> }[]) =>
  log.filter((e) => e.payload.eventType === 'disconnected').map((e) => e.payload.disconnectReason)

describe('lifecycle events', () => {
  it('publishes connected and disconnected with IoT’s topics and payloads, to MQTT subscribers too', async () => {
    const broker = await useBroker({ authorizer: recordingAuthorizer({ principalId: 'watcher1', policyDocuments: [allowAll] }).authorizer, logger: 'silent' })
    const watcher = await connect(broker.url, { clientId: 'watcher' })
    const seen = inbox(watcher)
    await watcher.subscribeAsync('$aws/events/presence/+/device-7', { qos: 1 })
    const c = await connect(broker.url, { clientId: 'device-7' })
    await c.endAsync()
    await eventually(() => seen.length === 2)
    const [connected, disconnected] = seen.map((m) => ({ topic: m.topic, payload: JSON.parse(m.text) as Record<string, unknown> }))
    expect(connected!.topic).toBe('$aws/events/presence/connected/device-7')
    expect(connected!.payload).toEqual({
      clientId: 'device-7',
      timestamp: expect.any(Number) as unknown,
      eventType: 'connected',
      sessionIdentifier: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      principalIdentifier: 'watcher1',
      ipAddress: expect.stringMatching(/127\.0\.0\.1/) as unknown,
      versionNumber: 1,
    })
    expect(disconnected!.topic).toBe('$aws/events/presence/disconnected/device-7')
    expect(disconnected!.payload).toMatchObject({
      eventType: 'disconnected',
      clientInitiatedDisconnect: true,
      disconnectReason: 'CLIENT_INITIATED_DISCONNECT',
      sessionIdentifier: connected!.payload.sessionIdentifier,
      versionNumber: 1,
    })
  })

  it('counts versionNumber per client id', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const log = lifecycleLog(broker)
    for (let i = 0; i < 3; i++) await (await connect(broker.url, { clientId: 'same' })).endAsync()
    await connect(broker.url, { clientId: 'other' })
    await eventually(() => log.length === 7)
    expect(log.map((e) => [e.payload.clientId, e.payload.eventType, e.payload.versionNumber])).toEqual([
      ['same', 'connected', 1],
      ['same', 'disconnected', 1],
      ['same', 'connected', 2],
      ['same', 'disconnected', 2],
      ['same', 'connected', 3],
      ['same', 'disconnected', 3],
      ['other', 'connected', 1],
    ])
  })

  it('reports a dropped socket as CONNECTION_LOST', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const log = lifecycleLog(broker)
    const c = await connect(broker.url, { clientId: 'lost' })
    c.stream.destroy()
    await eventually(() => reasons(log).length === 1)
    expect(reasons(log)).toEqual(['CONNECTION_LOST'])
  })

  it('reports a silent client as MQTT_KEEP_ALIVE_TIMEOUT after 1.5× keep-alive', async () => {
    const broker = await useBroker({ logger: 'silent', mqttPort: true, testing: { allowShortDurations: true } })
    const log = lifecycleLog(broker)
    const socket = tcpConnect(broker.mqttPort!, '127.0.0.1')
    socket.on('error', () => {})
    socket.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'sleepy', clean: true, keepalive: 1 }))
    await eventually(() => reasons(log).length === 1, 5000)
    socket.destroy()
    expect(reasons(log)).toEqual(['MQTT_KEEP_ALIVE_TIMEOUT'])
  })

  it('drops the older connection when a client id connects twice (DUPLICATE_CLIENTID)', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const log = lifecycleLog(broker)
    const first = await connect(broker.url, { clientId: 'tab' })
    const firstGone = closed(first)
    const second = await connect(broker.url, { clientId: 'tab' })
    await firstGone
    await eventually(() => reasons(log).length === 1)
    expect(reasons(log)).toEqual(['DUPLICATE_CLIENTID'])
    expect(second.connected).toBe(true)
    expect(broker.connections().map((c) => c.clientId)).toEqual(['tab'])
  })

  it('reports forbidden access, TTL expiry and auth errors', async () => {
    let refreshOk = true
    const broker = await useBroker({
      logger: 'silent',
      testing: { allowShortDurations: true },
      authorizer: (e) => {
        const id = e.protocolData.mqtt!.clientId
        if (id === 'refresh' && !refreshOk) throw new Error('token revoked')
        return {
          isAuthenticated: true,
          principalId: 'p',
          policyDocuments: [policy({ Action: ['iot:Connect', 'iot:Publish'], Resource: '*' })],
          ...(id === 'ttl' ? { disconnectAfterInSeconds: 0.3 } : {}),
          ...(id === 'refresh' ? { refreshAfterInSeconds: 0.3 } : {}),
        }
      },
    })
    const log = lifecycleLog(broker)
    const forbidden = await connect(broker.url, { clientId: 'forbidden' })
    forbidden.subscribe('nope')
    await closed(forbidden)
    const ttl = await connect(broker.url, { clientId: 'ttl' })
    await closed(ttl)
    const refresh = await connect(broker.url, { clientId: 'refresh' })
    refreshOk = false
    await closed(refresh)
    await eventually(() => reasons(log).length === 3)
    expect(reasons(log)).toEqual(['FORBIDDEN_ACCESS', 'CUSTOMAUTH_TTL_EXPIRATION', 'AUTH_ERROR'])
  })

  it('publishes connect_failed for a refused connection', async () => {
    const broker = await useBroker({ logger: 'silent', authorizer: () => ({ isAuthenticated: false, principalId: 'x', policyDocuments: [] }) })
    const log = lifecycleLog(broker)
    expect(await refusal(broker.url, { clientId: 'intruder' })).toBe(5)
    await eventually(() => log.length === 1)
    expect(log[0]).toMatchObject({
      topic: '$aws/events/presence/connect_failed/intruder',
      payload: { clientId: 'intruder', eventType: 'connect_failed', connectionFailureReason: 'AUTHORIZATION_FAILED' },
    })
  })

  it('publishes subscribed and unsubscribed with the topics', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const log = lifecycleLog(broker)
    const c = await connect(broker.url, { clientId: 's' })
    await c.subscribeAsync(['a/1', 'a/2'])
    await c.unsubscribeAsync('a/1')
    await eventually(() => log.length === 3)
    expect(log.slice(1).map((e) => [e.topic, e.payload.eventType, e.payload.topics])).toEqual([
      ['$aws/events/subscriptions/subscribed/s', 'subscribed', ['a/1', 'a/2']],
      ['$aws/events/subscriptions/unsubscribed/s', 'unsubscribed', ['a/1']],
    ])
    expect(broker.subscriptionCount()).toBe(1)
  })
})

describe('authorizer durations', () => {
  it('applies the policies of a refresh to later actions', async () => {
    let canPublish = true
    const broker = await useBroker({
      logger: 'silent',
      testing: { allowShortDurations: true },
      authorizer: () => ({
        isAuthenticated: true,
        principalId: 'p',
        refreshAfterInSeconds: 0.2,
        policyDocuments: [policy({ Action: ['iot:Connect', 'iot:Subscribe', 'iot:Receive', ...(canPublish ? ['iot:Publish'] : [])], Resource: '*' })],
      }),
    })
    const c = await connect(broker.url, { clientId: 'r' })
    await c.publishAsync('t', 'allowed', { qos: 1 })
    canPublish = false
    await new Promise((r) => setTimeout(r, 600))
    expect(c.connected).toBe(true)
    const gone = closed(c)
    c.publish('t', 'now forbidden')
    await gone
  })

  it('rejects durations below 300 s unless the testing option allows them', async () => {
    const broker = await useBroker({
      logger: 'silent',
      authorizer: () => ({
        isAuthenticated: true,
        principalId: 'p',
        disconnectAfterInSeconds: 1,
        policyDocuments: [policy({ Action: 'iot:*', Resource: `${ARN}*` })],
      }),
    })
    expect(await refusal(broker.url, { clientId: 'short' })).toBe(5)
  })
})
