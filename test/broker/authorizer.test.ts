import { generateKeyPairSync, createSign } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { BrokerLogger } from '@livetopic/broker'
import { useBroker } from '../helpers/broker.js'
import { eventually } from '../helpers/wait.js'
import { allowAll, connect, lifecycleLog, recordingAuthorizer, refusal } from './support.js'

const silent = 'silent' as const

describe('custom authorizer', () => {
  it('receives IoT’s event shape with the token from the WebSocket query string', async () => {
    const { authorizer, events } = recordingAuthorizer({ policyDocuments: [allowAll] })
    const broker = await useBroker({ authorizer, logger: silent })
    await connect(`${broker.url}?x-amz-customauthorizer-name=Local&token=abc123`, { clientId: 'c1', username: 'alice', password: 'pw' })
    const e = events[0]!
    expect(e.token).toBe('abc123')
    expect(e.signatureVerified).toBe(false)
    expect(e.protocols).toEqual(['tls', 'http', 'mqtt'])
    expect(e.protocolData.mqtt).toEqual({ username: 'alice', password: Buffer.from('pw').toString('base64'), clientId: 'c1' })
    expect(e.protocolData.http?.queryString).toMatch(/^\?.*x-amz-customauthorizer-name=Local/)
    expect(e.connectionMetadata.id).toMatch(/[0-9a-f-]{36}/)
  })

  it('takes the token from an upgrade header or from the MQTT username query string', async () => {
    const { authorizer, events } = recordingAuthorizer({ policyDocuments: [allowAll] })
    const broker = await useBroker({ authorizer, logger: silent, tokenKeyName: 'x-token' })
    await connect(broker.url, { clientId: 'h', wsOptions: { headers: { 'x-token': 'from-header' } } })
    await connect(broker.url, { clientId: 'u', username: '?x-amz-customauthorizer-name=Local&x-token=from-username&extra=1' })
    expect(events.map((e) => e.token)).toEqual(['from-header', 'from-username'])
  })

  it('refuses with CONNACK 5 when the authorizer says no, throws, is late or answers a malformed response', async () => {
    const answers: (() => unknown)[] = [
      () => ({ isAuthenticated: false, principalId: 'u', policyDocuments: [allowAll] }),
      () => {
        throw new Error('boom')
      },
      () => new Promise(() => {}),
      () => ({ isAuthenticated: true, principalId: 'not valid!', policyDocuments: [allowAll] }),
      () => ({ isAuthenticated: true, principalId: 'u', policyDocuments: Array(11).fill(allowAll) }),
      () => ({ isAuthenticated: true, principalId: 'u', policyDocuments: [allowAll + ' '.repeat(2100)] }),
      () => ({ isAuthenticated: true, principalId: 'u', policyDocuments: [allowAll], disconnectAfterInSeconds: 100 }),
      () => ({ isAuthenticated: true, principalId: 'u', policyDocuments: [allowAll], refreshAfterInSeconds: 90000 }),
      () => ({ isAuthenticated: true, principalId: 'u', policyDocuments: ['{not json'] }),
    ]
    let n = 0
    const broker = await useBroker({
      authorizer: () => answers[n++]!() as never,
      logger: silent,
      testing: { authorizerTimeoutMs: 300 },
    })
    const failed = lifecycleLog(broker)
    for (let i = 0; i < answers.length; i++) expect(await refusal(broker.url, { clientId: `c${i}` })).toBe(5)
    expect(failed.filter((e) => e.topic.startsWith('$aws/events/presence/connect_failed/'))).toHaveLength(answers.length)
  })

  it('gives up on an authorizer after IoT’s 5 s by default', async () => {
    const broker = await useBroker({ authorizer: () => new Promise(() => {}), logger: silent })
    const started = Date.now()
    expect(await refusal(broker.url, { clientId: 'slow', connectTimeout: 10_000 })).toBe(5)
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900)
  }, 15_000)

  it('checks the token signature with the RSA public key before invoking the authorizer', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const { authorizer, events } = recordingAuthorizer({ policyDocuments: [allowAll] })
    const broker = await useBroker({ authorizer, logger: silent, tokenSigning: { publicKeys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()] } })
    const sign = (token: string): string => createSign('RSA-SHA256').update(token).sign(privateKey, 'base64')
    const url = (token: string, sig: string): string =>
      `${broker.url}?x-amz-customauthorizer-name=A&token=${token}&x-amz-customauthorizer-signature=${encodeURIComponent(sig)}`
    await connect(url('good', sign('good')), { clientId: 'ok' })
    expect(await refusal(url('forged', sign('good')), { clientId: 'bad' })).toBe(5)
    expect(await refusal(broker.url, { clientId: 'none' })).toBe(5)
    expect(events.map((e) => [e.token, e.signatureVerified])).toEqual([['good', true]])
  })

  it('never logs the token, and logs which statement denied what', async () => {
    const lines: string[] = []
    const logger: BrokerLogger = { info: (m) => lines.push(m), warn: (m) => lines.push(m) }
    const { authorizer } = recordingAuthorizer({ policyDocuments: [] })
    const broker = await useBroker({
      authorizer: (e) => ({ ...authorizer(e), policyDocuments: [JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: '*' }] })] }),
      logger,
    })
    expect(await refusal(`${broker.url}?token=s3cr3t-token`, { clientId: 'x', username: 'bob', password: 'hunter2' })).toBe(5)
    await eventually(() => lines.some((l) => l.includes('iot:Connect')))
    expect(lines.join('\n')).toContain('no Allow statement matched')
    expect(lines.join('\n')).not.toMatch(/s3cr3t|hunter2/)
  })

  it('allows everything without an authorizer and says so at start-up', async () => {
    const lines: string[] = []
    const broker = await useBroker({ logger: { info: (m) => lines.push(m), warn: (m) => lines.push(m) } })
    expect(broker.authorization).toBe(false)
    expect(lines.join('\n')).toMatch(/authorization off/)
    const client = await connect(broker.url, { clientId: 'dev' })
    await client.subscribeAsync('anything/#')
    await client.publishAsync('anything/here', 'ok', { qos: 1, retain: true })
    expect(broker.connections()).toMatchObject([{ clientId: 'dev', subscriptions: ['anything/#'] }])
  })
})
