// Mosquitto answers a forbidden SUBSCRIBE with a failure code instead of hanging up (as AWS IoT
// does under 3.1.1): SUBACK 0x80 under MQTT 3.1.1, reason code 0x87 (Not authorized) under MQTT 5.
// The refusal needs the dynamic-security plugin: 2.0.11's plain acl_file grants every SUBSCRIBE
// and only filters deliveries.
import { createClient, type LiveTopicClient } from '@livetopic/core'
import mqtt from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { countDrops } from '../helpers/clients.js'
import { startMosquitto, type RunningMosquitto } from '../helpers/mosquitto.js'
import { waitFor } from '../helpers/wait.js'

// anonymous clients may use acl/open/#, nothing else
const dynamicSecurity = {
  defaultACLAccess: { publishClientSend: false, publishClientReceive: true, subscribe: false, unsubscribe: true },
  clients: [],
  groups: [{ groupname: 'anonymous', roles: [{ rolename: 'open' }], clients: [] }],
  roles: [
    {
      rolename: 'open',
      acls: [
        { acltype: 'subscribePattern', topic: 'acl/open/#', allow: true },
        { acltype: 'publishClientSend', topic: 'acl/open/#', allow: true },
      ],
    },
  ],
  anonymousGroup: 'anonymous',
}

describe.each([
  { protocolVersion: 4 as const, code: 0x80 },
  { protocolVersion: 5 as const, code: 0x87 },
])('Mosquitto ACL, MQTT protocol level $protocolVersion', ({ protocolVersion, code }) => {
  let mosquitto: RunningMosquitto
  const clients: LiveTopicClient[] = []
  beforeAll(async () => {
    mosquitto = await startMosquitto({ dynamicSecurity })
  })
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()))
  })
  afterAll(() => mosquitto.stop())

  it(`a denied SUBSCRIBE (0x${code.toString(16)}) ends as NOT_AUTHORIZED; other topics keep working`, async () => {
    const live = createClient({ url: mosquitto.url, protocolVersion })
    clients.push(live)
    // subscribed in one tick: one SUBSCRIBE packet with both filters
    const denied = live.topic('acl/secret/#')
    const open = live.topic<{ n: number }>('acl/open/+')
    const offs = [denied.listen(() => {}), open.listen(() => {})]
    await waitFor(live.status, (s) => s.status === 'connected')
    const drops = countDrops(live)
    const refused = await waitFor(denied, (v) => v.status === 'error')
    expect(refused.error?.code).toBe('NOT_AUTHORIZED')
    expect(refused.error?.reasonCode).toBe(code)
    await waitFor(open, (v) => v.status === 'subscribed')
    await live.publish('acl/open/a', { n: 1 }, { qos: 1 })
    expect((await waitFor(open, (v) => v.data !== undefined)).data).toEqual({ n: 1 })
    // the refusal did not cost the connection
    expect(live.status.get().status).toBe('connected')
    expect(drops()).toBe(0)
    offs.forEach((off) => off())
  })

  it('the raw SUBACK carries the code we map (checked with MQTT.js directly)', async () => {
    const raw = await mqtt.connectAsync(mosquitto.mqttUrl, { protocolVersion, reconnectPeriod: 0 })
    try {
      const granted = await raw.subscribeAsync(['acl/secret/x', 'acl/open/x']).catch((error: { packet?: { granted?: number[] } }) => error.packet?.granted)
      const codes = Array.isArray(granted) ? granted.map((g) => (typeof g === 'number' ? g : g.qos)) : []
      expect(codes).toEqual([code, 0])
    } finally {
      await raw.endAsync()
    }
  })

  it(
    protocolVersion === 5
      ? 'a QoS 1 publish to a denied topic rejects NOT_AUTHORIZED (PUBACK 0x87)'
      : 'a QoS 1 publish to a denied topic is acknowledged and dropped (MQTT 3.1.1 has no way to say no)',
    async () => {
      const live = createClient({ url: mosquitto.url, protocolVersion })
      clients.push(live)
      const result = await live.publish('acl/secret/x', { n: 1 }, { qos: 1 }).then(
        () => 'resolved',
        (e: { code?: string }) => e.code,
      )
      expect(result).toBe(protocolVersion === 5 ? 'NOT_AUTHORIZED' : 'resolved')
      await live.publish('acl/open/x', { n: 2 }, { qos: 1 })
      expect(live.status.get().status).toBe('connected')
    },
  )
})
