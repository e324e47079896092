import { createClient, isLiveTopicError, type LiveTopicClient } from '@livetopic/core'
import { awsIotProfile, createAwsIotProfile } from '@livetopic/core/aws'
import { afterEach, describe, expect, it } from 'vitest'
import { countPackets, useBroker } from '../helpers/broker.js'
import { sleep, waitFor } from '../helpers/wait.js'

const clients: LiveTopicClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
})

const code = (fn: () => void): string | undefined => {
  try {
    fn()
    return undefined
  } catch (error) {
    return isLiveTopicError(error) ? error.code : `not a LiveTopicError: ${String(error)}`
  }
}
const publish =
  (topic: string, bytes = 10, qos: 0 | 1 | 2 = 0) =>
  () =>
    awsIotProfile.checkPublish(topic, bytes, { qos, retain: false })
const filter = (f: string) => () => awsIotProfile.checkFilter(f)

describe('awsIotProfile', () => {
  it("declares IoT Core's limits", () => {
    expect(awsIotProfile).toMatchObject({ name: 'aws-iot', maxQos: 1, maxFiltersPerSubscribe: 8, hashMatchesParent: false })
  })

  it('payloads up to 128 KB pass; one byte more is PAYLOAD_TOO_LARGE', () => {
    expect(code(publish('a/b', 128 * 1024))).toBeUndefined()
    expect(code(publish('a/b', 128 * 1024 + 1))).toBe('PAYLOAD_TOO_LARGE')
  })

  it('topics: 256 UTF-8 bytes and 7 slashes at most (LIMIT_EXCEEDED beyond), filters too', () => {
    expect(code(publish('x'.repeat(256)))).toBeUndefined()
    expect(code(publish('x'.repeat(257)))).toBe('LIMIT_EXCEEDED')
    // 128 two-byte characters are 256 bytes; one more is over
    expect(code(publish('é'.repeat(128)))).toBeUndefined()
    expect(code(publish('é'.repeat(129)))).toBe('LIMIT_EXCEEDED')
    expect(code(publish('1/2/3/4/5/6/7/8'))).toBeUndefined()
    expect(code(publish('1/2/3/4/5/6/7/8/9'))).toBe('LIMIT_EXCEEDED')
    expect(code(filter('1/2/3/4/5/6/7/#'))).toBeUndefined()
    expect(code(filter('1/2/3/4/5/6/7/+/#'))).toBe('LIMIT_EXCEEDED')
    expect(code(filter('x'.repeat(257)))).toBe('LIMIT_EXCEEDED')
  })

  it('Basic Ingest topics do not count their $aws/rules/<rule>/ prefix', () => {
    expect(code(publish('$aws/rules/myRule/1/2/3/4/5/6/7/8'))).toBeUndefined()
    expect(code(publish('$aws/rules/myRule/1/2/3/4/5/6/7/8/9'))).toBe('LIMIT_EXCEEDED')
    expect(code(publish(`$aws/rules/${'r'.repeat(100)}/${'x'.repeat(256)}`))).toBeUndefined()
  })

  it('client ids up to 128 bytes; createClient refuses a longer fixed one with LIMIT_EXCEEDED', () => {
    expect(code(() => awsIotProfile.checkClientId?.('c'.repeat(128)))).toBeUndefined()
    expect(code(() => createClient({ url: 'ws://127.0.0.1:9/mqtt', clientId: 'c'.repeat(129), profile: awsIotProfile }))).toBe('LIMIT_EXCEEDED')
  })

  it('QoS 2 is refused with LIMIT_EXCEEDED', () => {
    expect(code(publish('a', 1, 2))).toBe('LIMIT_EXCEEDED')
  })

  it('reserved topics: publish only where IoT lets clients publish, subscribe to events and responses', () => {
    for (const ok of [
      '$aws/things/lamp/shadow/update',
      '$aws/things/lamp/shadow/name/config/get',
      '$aws/things/lamp/jobs/start-next',
      '$aws/things/lamp/jobs/job-42/update',
      '$aws/things/lamp/defender/metrics/json',
      '$aws/rules/ingest/telemetry',
      '$aws/provisioning-templates/fleet/provision/json',
    ])
      expect(code(publish(ok)), ok).toBeUndefined()
    for (const refused of [
      '$aws/events/presence/connected/alice',
      '$aws/things/lamp/shadow/update/accepted',
      '$aws/things/lamp/shadow/whatever',
      '$aws/invented/topic',
      '$SYS/broker',
    ])
      expect(code(publish(refused)), refused).toBe('INVALID_TOPIC')
    for (const ok of ['$aws/events/presence/+/+', '$aws/things/lamp/shadow/update/accepted', '$aws/events/#', '$share/group/rooms/+'])
      expect(code(filter(ok)), ok).toBeUndefined()
    for (const refused of ['$aws/rules/ingest/#', '$SYS/#', '$aws/invented/#']) expect(code(filter(refused)), refused).toBe('INVALID_TOPIC')
    // plain topics are left alone
    expect(code(filter('rooms/+room/#'))).toBeUndefined()
  })

  it('createAwsIotProfile takes Region quotas', () => {
    const profile = createAwsIotProfile({ maxPayloadBytes: 1000, maxFiltersPerSubscribe: 4, maxSlashes: 2, maxTopicBytes: 10 })
    expect(profile.maxFiltersPerSubscribe).toBe(4)
    expect(code(() => profile.checkPublish('a/b', 1001, { qos: 0, retain: false }))).toBe('PAYLOAD_TOO_LARGE')
    expect(code(() => profile.checkPublish('a/b/c/d', 1, { qos: 0, retain: false }))).toBe('LIMIT_EXCEEDED')
    expect(code(() => profile.checkFilter('abcdefghijk'))).toBe('LIMIT_EXCEEDED')
    expect(code(() => profile.checkFilter('a/+'))).toBeUndefined()
  })
})

describe('awsIotProfile through a real client', () => {
  it('9 filters subscribed in one tick go out as exactly two SUBSCRIBE packets (8 + 1)', async () => {
    const broker = await useBroker()
    const seen = countPackets(broker)
    const live = createClient({ url: broker.url, profile: awsIotProfile })
    clients.push(live)
    const stores = Array.from({ length: 9 }, (_, i) => live.topic(`rooms/${i}/messages`))
    for (const store of stores) store.listen(() => {})
    await Promise.all(stores.map((store) => waitFor(store, (s) => s.status === 'subscribed')))
    expect(seen.subscribes.map((packet) => packet.length)).toEqual([8, 1])
    expect(seen.subscribes.flat().sort()).toEqual(stores.map((_, i) => `rooms/${i}/messages`).sort())
  })

  it('an oversized publish rejects with PAYLOAD_TOO_LARGE and nothing reaches the broker', async () => {
    const broker = await useBroker()
    const published: string[] = []
    broker.aedes.on('publish', (packet, client) => {
      if (client) published.push(packet.topic)
    })
    const live = createClient({ url: broker.url, profile: awsIotProfile })
    clients.push(live)
    live.connect()
    await waitFor(live.status, (s) => s.status === 'connected')
    await expect(live.publish('rooms/lobby/messages', 'x'.repeat(128 * 1024), { qos: 1 })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' })
    await expect(live.publish('$aws/events/presence/connected/me', {}, { qos: 1 })).rejects.toMatchObject({ code: 'INVALID_TOPIC' })
    await expect(live.publish('rooms/lobby/messages', { ok: true }, { qos: 1 })).resolves.toBeUndefined()
    expect(published).toEqual(['rooms/lobby/messages'])
  })

  it('a/# does not match a, as on IoT Core', async () => {
    const broker = await useBroker()
    const live = createClient({ url: broker.url, profile: awsIotProfile })
    clients.push(live)
    const topics: string[] = []
    live.onMessage('a/#', (m) => topics.push(m.topic))
    const store = live.topic('a/#')
    store.listen(() => {})
    await waitFor(store, (s) => s.status === 'subscribed')
    await live.publish('a', 1, { qos: 1 })
    await live.publish('a/b', 2, { qos: 1 })
    await waitFor(store, (s) => s.message?.topic === 'a/b')
    await sleep(50)
    expect(topics).toEqual(['a/b'])
  })

  it('a reserved filter the profile refuses puts the store in error without sending a SUBSCRIBE', async () => {
    const broker = await useBroker()
    const seen = countPackets(broker)
    const live = createClient({ url: broker.url, profile: awsIotProfile })
    clients.push(live)
    const refused = live.topic('$aws/rules/ingest/#')
    const fine = live.topic('rooms/+/messages')
    refused.listen(() => {})
    fine.listen(() => {})
    await waitFor(fine, (s) => s.status === 'subscribed')
    expect(refused.get()).toMatchObject({ status: 'error', error: { code: 'INVALID_TOPIC' } })
    expect(seen.subscribes).toEqual([['rooms/+/messages']])
  })
})
