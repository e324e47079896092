import { describe, expect, it } from 'vitest'
import { Policy, type Denial } from '@livetopic/broker'
import { useBroker } from '../helpers/broker.js'
import { eventually, sleep } from '../helpers/wait.js'
import { ARN, closed, connect, inbox, policy, recordingAuthorizer, refusal } from './support.js'

const p = (...docs: string[]): Policy => new Policy(docs, ARN)

describe('policy evaluation (unit)', () => {
  it('treats * and ? as wildcards and MQTT + and # as literal characters', () => {
    const pol = p(policy({ Action: 'iot:Subscribe', Resource: [`${ARN}topicfilter/rooms/*`, `${ARN}topicfilter/a/+/b`, `${ARN}topicfilter/q?`] }))
    expect(pol.evaluate('iot:Subscribe', 'rooms/lobby/messages', 'c').allowed).toBe(true)
    expect(pol.evaluate('iot:Subscribe', 'rooms/+', 'c').allowed).toBe(true)
    expect(pol.evaluate('iot:Subscribe', 'a/+/b', 'c').allowed).toBe(true)
    expect(pol.evaluate('iot:Subscribe', 'a/x/b', 'c').allowed).toBe(false)
    expect(pol.evaluate('iot:Subscribe', 'q1', 'c').allowed).toBe(true)
    expect(pol.evaluate('iot:Subscribe', 'q12', 'c').allowed).toBe(false)
    expect(pol.evaluate('iot:Publish', 'rooms/lobby', 'c').allowed).toBe(false)
  })

  it('substitutes ${iot:ClientId} literally', () => {
    const pol = p(policy({ Action: ['iot:Connect', 'iot:Publish'], Resource: [`${ARN}client/\${iot:ClientId}`, `${ARN}topic/users/\${iot:ClientId}/*`] }))
    expect(pol.evaluate('iot:Connect', 'alice', 'alice').allowed).toBe(true)
    expect(pol.evaluate('iot:Publish', 'users/alice/status', 'alice').allowed).toBe(true)
    expect(pol.evaluate('iot:Publish', 'users/bob/status', 'alice').allowed).toBe(false)
    expect(pol.evaluate('iot:Connect', 'alicex', 'a*').allowed).toBe(false)
  })

  it('lets an explicit Deny beat any Allow, across documents, and denies by default', () => {
    const pol = p(policy({ Action: 'iot:*', Resource: '*' }), policy({ Effect: 'Deny', Action: 'iot:Publish', Resource: `${ARN}topic/admin/*` }))
    expect(pol.evaluate('iot:Publish', 'admin/reset', 'c')).toEqual({ allowed: false, reason: 'policy 2, statement 1 (Deny)' })
    expect(pol.evaluate('iot:Publish', 'chat', 'c').allowed).toBe(true)
    expect(p(policy({ Action: 'iot:Receive', Resource: '*' })).evaluate('iot:Publish', 'x', 'c')).toEqual({
      allowed: false,
      reason: 'no Allow statement matched',
    })
  })

  it('refuses statements it cannot enforce instead of ignoring them', () => {
    expect(() => p(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*', Condition: {} }] }))).toThrow(/Condition/)
  })
})

describe('policies enforced by the broker', () => {
  const chatPolicy = policy(
    { Action: 'iot:Connect', Resource: `${ARN}client/\${iot:ClientId}` },
    { Action: 'iot:Publish', Resource: [`${ARN}topic/chat/*`, `${ARN}topic/locked/*`] },
    { Action: 'iot:Subscribe', Resource: [`${ARN}topicfilter/chat/*`, `${ARN}topicfilter/locked/*`] },
    { Action: 'iot:Receive', Resource: `${ARN}topic/chat/*` },
    { Effect: 'Deny', Action: 'iot:Publish', Resource: `${ARN}topic/chat/readonly` },
  )
  const start = async () => {
    const denials: Denial[] = []
    const broker = await useBroker({ authorizer: recordingAuthorizer({ policyDocuments: [chatPolicy] }).authorizer, logger: 'silent' })
    broker.events.on('denied', (d) => denials.push(d))
    return { broker, denials }
  }

  it('checks iot:Connect on client/<id> (CONNACK 5 otherwise)', async () => {
    const broker = await useBroker({
      authorizer: recordingAuthorizer({ policyDocuments: [policy({ Action: 'iot:Connect', Resource: `${ARN}client/device-*` })] }).authorizer,
      logger: 'silent',
    })
    await connect(broker.url, { clientId: 'device-1' })
    expect(await refusal(broker.url, { clientId: 'laptop' })).toBe(5)
  })

  it('allows what the policy allows, end to end', async () => {
    const { broker } = await start()
    const a = await connect(broker.url, { clientId: 'a' })
    const seen = inbox(a)
    await a.subscribeAsync('chat/+', { qos: 1 })
    await a.publishAsync('chat/lobby', 'hi', { qos: 1 })
    await eventually(() => seen.length === 1)
    expect(seen[0]).toMatchObject({ topic: 'chat/lobby', text: 'hi' })
  })

  it('closes the connection on a forbidden PUBLISH and names the denying statement', async () => {
    const { broker, denials } = await start()
    const a = await connect(broker.url, { clientId: 'a' })
    const gone = closed(a)
    a.publish('chat/readonly', 'no')
    await gone
    expect(denials).toEqual([
      { clientId: 'a', principalId: 'user1', action: 'iot:Publish', resource: `${ARN}topic/chat/readonly`, reason: 'policy 1, statement 5 (Deny)' },
    ])
  })

  it('closes the connection on a forbidden SUBSCRIBE (no SUBACK 0x80 under MQTT 3.1.1)', async () => {
    const { broker, denials } = await start()
    const a = await connect(broker.url, { clientId: 'a' })
    const gone = closed(a)
    a.subscribe('secret/#')
    await gone
    expect(denials[0]).toMatchObject({ action: 'iot:Subscribe', resource: `${ARN}topicfilter/secret/#` })
    expect(broker.connections()).toEqual([])
  })

  it('checks iot:Receive on every delivery and drops what is not allowed', async () => {
    const { broker, denials } = await start()
    const a = await connect(broker.url, { clientId: 'a' })
    const seen = inbox(a)
    await a.subscribeAsync('locked/#', { qos: 1 })
    await a.publishAsync('locked/door', 'x', { qos: 1 })
    await eventually(() => denials.length === 1)
    await sleep(100)
    expect(seen).toEqual([])
    expect(denials[0]).toMatchObject({ action: 'iot:Receive', resource: `${ARN}topic/locked/door` })
    expect(a.connected).toBe(true)
  })

  it('needs iot:RetainPublish for a retained PUBLISH', async () => {
    const { broker, denials } = await start()
    const a = await connect(broker.url, { clientId: 'a' })
    const gone = closed(a)
    a.publish('chat/lobby', 'kept', { qos: 1, retain: true })
    await gone
    expect(denials[0]).toMatchObject({ action: 'iot:RetainPublish', resource: `${ARN}topic/chat/lobby` })
  })

  it('uses the region and account of the options in the ARNs', async () => {
    const broker = await useBroker({
      region: 'eu-west-1',
      accountId: '999999999999',
      authorizer: recordingAuthorizer({ policyDocuments: [policy({ Action: 'iot:Connect', Resource: 'arn:aws:iot:eu-west-1:999999999999:client/*' })] })
        .authorizer,
      logger: 'silent',
    })
    await connect(broker.url, { clientId: 'eu' })
  })
})
