// The panel's model against a real broker: what it gathers from a live client through
// core's inspectClient (events, messages, publishes, topics with listener counts and errors).
import { createClient, type LiveTopicClient } from '@livetopic/core'
import { afterEach, describe, expect, it } from 'vitest'
import { inspectClient } from '@livetopic/core/internal'
import { DevtoolsModel } from '../../packages/devtools/src/model.js'
import { ARN, policy, recordingAuthorizer } from '../broker/support.js'
import { useBroker } from '../helpers/broker.js'
import { eventually } from '../helpers/wait.js'

const clients: LiveTopicClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
})

// may connect and use allowed/*; secret/* is refused
const rooms = policy(
  { Action: 'iot:Connect', Resource: '*' },
  { Action: ['iot:Publish', 'iot:Receive'], Resource: `${ARN}topic/allowed/*` },
  { Action: 'iot:Subscribe', Resource: `${ARN}topicfilter/allowed/*` },
)

describe('DevtoolsModel', () => {
  it('shows status history, topics with listener counts and last payload, the message log, publishes and refusals', async () => {
    const { authorizer } = recordingAuthorizer({ policyDocuments: [rooms] })
    const broker = await useBroker({ authorizer, logger: 'silent' })
    const client = createClient({ url: broker.url, reconnect: { initialDelay: 20 } })
    clients.push(client)
    const model = new DevtoolsModel(client, 50)
    let changes = 0
    model.onChange(() => changes++)
    model.start()

    const offStore = client.topic('allowed/+').listen(() => {})
    const offListener = client.onMessage('allowed/+', () => {})
    const refused = client.topic('secret/x')
    const offRefused = refused.listen(() => {})
    await eventually(() => model.topics().some((t) => t.filter === 'allowed/+' && t.state === 'subscribed'), 15_000, 'subscribed')
    expect(model.topics().find((t) => t.filter === 'allowed/+')?.listeners).toBe(2)

    await client.publish('allowed/1', { n: 1 }, { qos: 1 })
    await eventually(() => model.log.some((e) => e.direction === 'in' && e.topic === 'allowed/1'), 15_000, 'message in the log')
    expect(model.log.find((e) => e.direction === 'in')).toMatchObject({ topic: 'allowed/1', text: '{"n":1}', retained: false })
    expect(model.log.find((e) => e.direction === 'out')).toMatchObject({ topic: 'allowed/1', text: '{"n":1}' })
    expect(model.topics().find((t) => t.filter === 'allowed/+')?.last?.text).toBe('{"n":1}')

    // the refused subscription: its state and typed error, and the refusal in the event stream
    await eventually(() => model.topics().some((t) => t.filter === 'secret/x' && t.state === 'forbidden'), 15_000, 'refusal')
    expect(model.topics().find((t) => t.filter === 'secret/x')?.error?.code).toBe('NOT_AUTHORIZED')
    expect(model.events.some((e) => e.failed && e.text.includes('secret/x'))).toBe(true)
    expect(model.events.map((e) => e.type)).toEqual(expect.arrayContaining(['connect-attempt', 'connack', 'subscribe', 'suback']))

    // a refused publish is logged with its error
    await expect(client.publish('secret/x', 'no', { qos: 1 })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' })
    await eventually(() => model.log.some((e) => e.direction === 'out' && e.error !== undefined), 15_000, 'refused publish')
    expect(model.filteredLog({ text: 'secret', show: 'errors' })).toEqual([
      expect.objectContaining({ direction: 'out', topic: 'secret/x', text: 'no', error: expect.stringMatching(/^NOT_AUTHORIZED: /) as unknown }),
    ])
    expect(model.filteredLog({ text: '', show: 'in' }).every((e) => e.direction === 'in')).toBe(true)
    expect(model.statusHistory.map((s) => s.status)).toContain('connected')
    expect(changes).toBeGreaterThan(0)

    // listeners leaving show at once
    offListener()
    expect(model.topics().find((t) => t.filter === 'allowed/+')?.listeners).toBe(1)
    offStore()
    offRefused()
    model.stop()
  })

  it('keeps at most `limit` log lines, and a throwing panel listener does not break the client', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const client = createClient({ url: broker.url })
    clients.push(client)
    const model = new DevtoolsModel(client, 3)
    const reported: unknown[] = []
    const original = globalThis.reportError
    globalThis.reportError = (error: unknown) => void reported.push(error)
    try {
      model.onChange(() => {
        throw new Error('panel bug')
      })
      model.start()
      const got: number[] = []
      const off = client.onMessage<number>('n', (m) => got.push(m.payload))
      for (let i = 0; i < 6; i++) await client.publish('n', i, { qos: 1 })
      await eventually(() => got.length === 6, 15_000, 'all six delivered')
      expect(model.log.length).toBe(3)
      // the newest kept: the last publish and its delivery
      expect(model.log.slice(-2).map((e) => e.text)).toEqual(['5', '5'])
      expect(reported.length).toBeGreaterThan(0)
      off()
    } finally {
      globalThis.reportError = original
      model.stop()
    }
  })

  it("core's taps: a throwing tap is isolated, the client's own listeners still get everything, and stop() unsets them", async () => {
    const broker = await useBroker({ logger: 'silent' })
    const client = createClient({ url: broker.url })
    clients.push(client)
    const inspector = inspectClient(client)!
    const reported: unknown[] = []
    const original = globalThis.reportError
    globalThis.reportError = (error: unknown) => void reported.push(error)
    try {
      const boom = (): never => {
        throw new Error('tap bug')
      }
      Object.assign(inspector.taps, { event: boom, message: boom, publish: boom })
      const got: unknown[] = []
      const off = client.onMessage('t', (m) => got.push(m.payload))
      await client.publish('t', 'x', { qos: 1 })
      await eventually(() => got.length === 1, 15_000, 'delivered')
      expect(reported.length).toBeGreaterThanOrEqual(3)
      off()
      // a model takes the taps over and gives them back
      const model = new DevtoolsModel(client)
      model.start()
      expect(inspector.taps.message).not.toBe(boom)
      model.stop()
      expect(inspector.taps).toEqual({})
      expect(inspectClient({})).toBeUndefined()
    } finally {
      globalThis.reportError = original
    }
  })
})
