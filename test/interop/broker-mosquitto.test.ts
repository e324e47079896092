import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import type { RunningBroker } from '@livetopic/broker'
import { useBroker } from '../helpers/broker.js'
import { eventually } from '../helpers/wait.js'
import { connect, inbox, policy, ARN } from '../broker/support.js'

// Stock clients (mosquitto_pub / mosquitto_sub, MQTT 3.1.1) against the broker's TCP listener.
const run = promisify(execFile)
const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  children.length = 0
})

const TOKEN = 'mosquitto-token'
const start = (): Promise<RunningBroker> =>
  useBroker({
    logger: 'silent',
    mqttPort: true,
    authorizer: (e) => ({
      isAuthenticated: e.token === TOKEN,
      principalId: 'stock',
      policyDocuments: [
        policy(
          { Action: 'iot:Connect', Resource: `${ARN}client/*` },
          { Action: ['iot:Publish', 'iot:RetainPublish', 'iot:Receive'], Resource: [`${ARN}topic/sensors/*`, `${ARN}topic/$aws/events/*`] },
          { Action: 'iot:Subscribe', Resource: [`${ARN}topicfilter/sensors/*`, `${ARN}topicfilter/$aws/events/*`] },
        ),
      ],
    }),
  })

// AWS's SDKs put the custom-authorizer query string in the MQTT username; mosquitto can do the same
const auth = (token = TOKEN): string[] => ['-u', `?x-amz-customauthorizer-name=Local&token=${token}`, '-V', 'mqttv311']

/** Starts mosquitto_sub and resolves its stdout lines when it exits. */
function sub(broker: RunningBroker, args: string[]): { done: Promise<string[]> } {
  const child = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(broker.mqttPort), ...auth(), ...args])
  children.push(child)
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  return { done: new Promise((resolve) => child.once('exit', () => resolve(out.trim().split('\n').filter(Boolean)))) }
}

const pub = (broker: RunningBroker, args: string[], token?: string) =>
  run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(broker.mqttPort), ...auth(token), ...args], { timeout: 10_000 })

describe('mosquitto clients against the broker', { timeout: 20_000 }, () => {
  it('mosquitto_pub reaches mosquitto_sub and an MQTT.js client over WebSocket', async () => {
    const broker = await start()
    const ws = await connect(`${broker.url}?token=${TOKEN}`, { clientId: 'ws-client' })
    const seen = inbox(ws)
    await ws.subscribeAsync('sensors/+', { qos: 1 })
    const s = sub(broker, ['-i', 'stock-sub', '-t', 'sensors/#', '-q', '1', '-C', '2', '-W', '10', '-v'])
    await eventually(() => broker.connections().some((c) => c.clientId === 'stock-sub' && c.subscriptions.length === 1))
    await pub(broker, ['-i', 'stock-pub', '-t', 'sensors/t1', '-q', '1', '-m', '21.5'])
    await ws.publishAsync('sensors/t2', '22.0', { qos: 1 })
    expect(await s.done).toEqual(['sensors/t1 21.5', 'sensors/t2 22.0'])
    await eventually(() => seen.length === 2)
    expect(seen.map((m) => `${m.topic} ${m.text}`)).toEqual(['sensors/t1 21.5', 'sensors/t2 22.0'])
  })

  it('delivers a retained message to an exact mosquitto_sub filter', async () => {
    const broker = await start()
    await pub(broker, ['-i', 'retainer', '-t', 'sensors/door', '-q', '1', '-r', '-m', 'closed'])
    const s = sub(broker, ['-i', 'late-sub', '-t', 'sensors/door', '-C', '1', '-W', '10', '-v'])
    expect(await s.done).toEqual(['sensors/door closed'])
  })

  it('refuses a wrong token (CONNACK 5) and closes a forbidden publish', async () => {
    const broker = await start()
    const refused = await pub(broker, ['-i', 'bad', '-t', 'sensors/x', '-m', 'x'], 'wrong').catch((e: { code: number; stderr: string }) => e)
    expect(refused).toMatchObject({ code: expect.any(Number) as unknown })
    expect((refused as { stderr: string }).stderr).toMatch(/not authori[sz]ed/i)
    const denied: string[] = []
    broker.events.on('denied', (d) => denied.push(d.resource))
    await pub(broker, ['-i', 'rogue', '-t', 'admin/reset', '-q', '1', '-m', 'x']).catch(() => {})
    await eventually(() => denied.length === 1)
    expect(denied).toEqual([`${ARN}topic/admin/reset`])
  })

  it('shows lifecycle events to mosquitto_sub', async () => {
    const broker = await start()
    const s = sub(broker, ['-i', 'watcher', '-t', '$aws/events/presence/connected/newcomer', '-C', '1', '-W', '10'])
    await eventually(() => broker.connections().some((c) => c.clientId === 'watcher' && c.subscriptions.length === 1))
    await pub(broker, ['-i', 'newcomer', '-t', 'sensors/hello', '-m', 'hi'])
    const [line] = await s.done
    expect(JSON.parse(line!)).toMatchObject({ clientId: 'newcomer', eventType: 'connected', principalIdentifier: 'stock', versionNumber: 1 })
  })
})
