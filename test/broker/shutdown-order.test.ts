import { request } from 'node:http'
import { fileURLToPath } from 'node:url'
import { LambdaRunner } from '@livetopic/broker'
import { afterEach, describe, expect, it } from 'vitest'
import { startLocalPresenceStore } from '../../examples/shared/presence-store.js'
import { useBroker } from '../helpers/broker.js'
import { eventually, sleep } from '../helpers/wait.js'

// Closing the stand-in while a rule's Lambda is mid-call: the call finishes before its instance is
// killed, and the local DynamoDB does not close its database under a write still in progress (dynalite
// throws that from a callback, uncaught: it once failed a whole CI run from `npm run dev`'s test).
const probe = fileURLToPath(new URL('./fixtures/probe-handler.ts', import.meta.url))

const uncaught: unknown[] = []
const record = (error: unknown): void => void uncaught.push(error)
afterEach(() => {
  process.off('uncaughtException', record)
  uncaught.length = 0
})

/** Sends a PutItem and hangs up as soon as it is written, as a Lambda killed mid-call would. */
function putAndHangUp(endpoint: string, table: string): Promise<void> {
  const body = JSON.stringify({ TableName: table, Item: { pk: { S: 'room' }, sk: { S: 'member' } } })
  return new Promise((resolve, reject) => {
    const req = request(`${endpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.PutItem',
        'x-amz-date': '20261206T000000Z',
        // dynalite checks the header's shape, not the signature
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20261206/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
      },
    })
    req.on('error', () => {})
    req.on('finish', () => {
      req.destroy()
      resolve()
    })
    req.once('error', reject)
    req.end(body)
  })
}

describe('shutting down with work in flight', () => {
  it('the local DynamoDB finishes a write whose caller hung up before it closes its database', async () => {
    process.on('uncaughtException', record)
    for (let round = 0; round < 5; round++) {
      const store = await startLocalPresenceStore()
      await putAndHangUp(store.endpoint, store.table)
      await store.close()
    }
    // dynalite's throw comes from a setImmediate after the close
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(uncaught).toEqual([])
  })

  it('a Lambda running when the runner closes finishes; queued ones are dropped; nothing starts after', async () => {
    const broker = await useBroker({ logger: 'silent' })
    const runner = new LambdaRunner({
      name: 'probe',
      entry: probe,
      concurrency: 1,
      environment: { LIVETOPIC_IOT_ENDPOINT: broker.httpUrl, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'l', AWS_SECRET_ACCESS_KEY: 'l' },
      logger: { info() {}, warn() {} },
    })
    await runner.prepare()
    const delivered: string[] = []
    broker.aedes.on('publish', (packet) => {
      if (packet.topic.startsWith('out/')) delivered.push(packet.topic)
    })
    const running = runner.invoke({ tag: 'running', sleepMs: 1000 })
    const queued = runner.invoke({ tag: 'queued' })
    await eventually(() => runner.stats().alive === 1, 10_000, 'the first instance started')
    await sleep(300) // into its handler's sleep, most likely: the old close killed it there
    await runner.close()
    expect(await running).toBe(true)
    expect(await queued).toBe(false)
    expect(delivered).toEqual(['out/running'])
    expect(runner.stats()).toMatchObject({ invoked: 1, alive: 0, timedOut: 0 })
    expect(await runner.invoke({ tag: 'late' })).toBe(false)
  })
})
