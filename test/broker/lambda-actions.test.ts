import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { LambdaRunner, startBroker, type BrokerLogger, type BrokerOptions, type LambdaRunnerOptions } from '@livetopic/broker'
import { useBroker } from '../helpers/broker.js'
import { eventually, sleep } from '../helpers/wait.js'
import { connect, inbox } from './support.js'

// `lambda` rule actions in the stand-in: each instance is a worker with its own module state and
// environment, invocations overlap, a failure stays inside the runner, and close() ends them all.
const probe = fileURLToPath(new URL('./fixtures/probe-handler.ts', import.meta.url))

interface Report {
  invocations: number
  threadId: number
  start: number
  end: number
  env?: string
  hasHome: boolean
}

function recordingLogger(): BrokerLogger & { warnings: string[] } {
  const warnings: string[] = []
  return { warnings, info() {}, warn: (m) => warnings.push(m) }
}

async function probeBroker(lambda: LambdaRunnerOptions = {}, extra: Partial<BrokerOptions> = {}) {
  const logger = recordingLogger()
  const broker = await useBroker({
    logger,
    httpToken: 'only-the-backend-knows',
    lambda,
    rules: [{ name: 'probe', sql: "SELECT * FROM 'in/+'", lambda: { entry: probe, environment: { PROBE_ENV: 'from-the-rule' } } }],
    ...extra,
  })
  const client = await connect(broker.url, { clientId: 'tester' })
  await client.subscribeAsync('out/#', { qos: 1 })
  const seen = inbox(client)
  const reports = (): Report[] => seen.map((m) => JSON.parse(m.text) as Report)
  const send = (event: Record<string, unknown>): Promise<unknown> => client.publishAsync('in/x', JSON.stringify(event), { qos: 1 })
  return { broker, logger, reports, send, seen }
}

describe('Lambda rule actions in the stand-in', () => {
  it('gives every invocation a fresh instance by default: module state does not survive, the env is the rule’s own', async () => {
    const { reports, send } = await probeBroker()
    for (const tag of ['a', 'b', 'c']) await send({ tag })
    await eventually(() => reports().length === 3, 15_000, 'three reports')
    expect(reports().map((r) => r.invocations)).toEqual([1, 1, 1])
    expect(new Set(reports().map((r) => r.threadId)).size).toBe(3)
    // published through the Data Plane API past `httpToken`, with only the rule's environment
    expect(reports().every((r) => r.env === 'from-the-rule' && !r.hasHome)).toBe(true)
  })

  it('keeps module state in a warm instance when asked', async () => {
    const { reports, send } = await probeBroker({ instances: 'warm', concurrency: 1 })
    for (const tag of ['a', 'b', 'c']) await send({ tag })
    await eventually(() => reports().length === 3, 15_000, 'three reports')
    expect(
      reports()
        .map((r) => r.invocations)
        .sort(),
    ).toEqual([1, 2, 3])
  })

  it('runs invocations concurrently', async () => {
    const { reports, send } = await probeBroker({ instances: 'warm' })
    await send({ tag: 'slow-1', sleepMs: 800 })
    await send({ tag: 'slow-2', sleepMs: 800 })
    await eventually(() => reports().length === 2, 15_000, 'two reports')
    const [a, b] = reports().sort((x, y) => x.start - y.start)
    expect(b!.start).toBeLessThan(a!.end) // they overlapped in time
    expect(a!.threadId).not.toBe(b!.threadId)
  })

  it('isolates a throw and a timeout, logs them without the event, and handles the next message', async () => {
    const { reports, send, logger } = await probeBroker({ timeoutMs: 1500, instances: 'warm', concurrency: 1 })
    await send({ tag: 'x', fail: true, secret: 'hunter2' })
    await send({ tag: 'y', hang: true, secret: 'hunter2' })
    await send({ tag: 'after' })
    await eventually(() => reports().length === 1, 15_000, 'the message after the failures')
    expect(reports()[0]!.invocations).toBe(1) // the hung instance was killed: a new one took over
    expect(logger.warnings.some((w) => /probe \(Lambda action\): threw Error: probe failed on purpose/.test(w))).toBe(true)
    expect(logger.warnings.some((w) => /probe \(Lambda action\): timed out after 1500 ms/.test(w))).toBe(true)
    expect(logger.warnings.join('\n')).not.toContain('hunter2')
  })

  it('refuses publishes signed with another access key when httpToken is set', async () => {
    const { broker } = await probeBroker()
    const post = (authorization?: string) =>
      fetch(`${broker.httpUrl}/topics/out%2Fforged`, { method: 'POST', body: '{}', headers: authorization ? { authorization } : {} })
    expect((await post()).status).toBe(401)
    const forged = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261206/us-east-1/iotdevicegateway/aws4_request, SignedHeaders=host, Signature=00'
    expect((await post(forged)).status).toBe(401)
    expect((await post('Bearer only-the-backend-knows')).status).toBe(200)
  })

  it('fails at start-up, naming the rule, when the entry does not bundle', async () => {
    const rules = [{ name: 'broken', sql: "SELECT * FROM 'a'", lambda: { entry: '/nonexistent/handler.ts' } }]
    await expect(startBroker({ logger: 'silent', rules })).rejects.toThrow(/broken: its Lambda entry does not bundle/)
  })
})

describe('LambdaRunner', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('terminates its instances on close: nothing of them keeps running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'livetopic-runner-'))
    dirs.push(dir)
    const beat = join(dir, 'beat')
    writeFileSync(beat, '')
    const broker = await useBroker({ logger: 'silent' })
    const runner = new LambdaRunner({
      name: 'probe',
      entry: probe,
      instances: 'warm',
      environment: { BEAT_FILE: beat, LIVETOPIC_IOT_ENDPOINT: broker.httpUrl, AWS_REGION: 'us-east-1' },
      runtimeEnvironment: () => ({ AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' }),
      logger: recordingLogger(),
    })
    await runner.prepare()
    expect(await Promise.all([runner.invoke({ tag: '1', sleepMs: 200 }), runner.invoke({ tag: '2', sleepMs: 200 })])).toEqual([true, true])
    expect(runner.stats()).toMatchObject({ started: 2, alive: 2, maxConcurrent: 2, failed: 0 })
    await eventually(() => readFileSync(beat, 'utf8').length > 4, 5000, 'heartbeats')
    await runner.close()
    expect(runner.stats().alive).toBe(0)
    const after = readFileSync(beat, 'utf8').length
    await sleep(200)
    expect(readFileSync(beat, 'utf8').length).toBe(after)
    expect(await runner.invoke({ tag: 'late' })).toBe(false)
  })

  it('queues past its concurrency and drops past its queue limit', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const logger = recordingLogger()
    const runner = new LambdaRunner({
      name: 'probe',
      entry: probe,
      instances: 'warm',
      concurrency: 1,
      queueLimit: 1,
      environment: { LIVETOPIC_IOT_ENDPOINT: broker.httpUrl, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'l', AWS_SECRET_ACCESS_KEY: 'l' },
      logger,
    })
    try {
      const results = await Promise.all([1, 2, 3].map((n) => runner.invoke({ tag: String(n), sleepMs: 100 })))
      expect(results).toEqual([true, true, false])
      expect(runner.stats()).toMatchObject({ maxConcurrent: 1, dropped: 1, started: 1 })
      expect(logger.warnings.some((w) => w.includes('throttled, event dropped'))).toBe(true)
    } finally {
      await runner.close()
    }
  })
})
