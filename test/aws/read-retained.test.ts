import { createServer, type Server, type Socket } from 'node:net'
import { IoTDataPlaneClient, PublishCommand } from '@aws-sdk/client-iot-data-plane'
import { createClient, isLiveTopicError, textCodec, type LiveTopicError } from '@livetopic/core'
import { readRetained } from '@livetopic/core/aws/server'
import type { RunningBroker } from '@livetopic/broker'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { freePort } from '../helpers/free-port.js'

const SECRET = 'local-secret-never-shown'
const dataPlane = (endpoint: string): IoTDataPlaneClient =>
  new IoTDataPlaneClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: SECRET }, maxAttempts: 1 })

async function retain(broker: RunningBroker, topic: string, payload: string): Promise<void> {
  await dataPlane(broker.httpUrl).send(new PublishCommand({ topic, payload: new TextEncoder().encode(payload), qos: 1, retain: true }))
}

/** Every error readRetained reported, by topic. */
function collect(): { onError: (error: LiveTopicError) => void; errors: LiveTopicError[] } {
  const errors: LiveTopicError[] = []
  return { errors, onError: (error) => errors.push(error) }
}

const servers: Server[] = []
const sockets = new Set<Socket>()
afterEach(async () => {
  vi.restoreAllMocks()
  for (const socket of sockets) socket.destroy()
  sockets.clear()
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

/** An HTTP endpoint that accepts connections and never answers. */
async function silentServer(): Promise<string> {
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return `http://127.0.0.1:${port}`
}

describe('readRetained (@livetopic/core/aws/server) against the stand-in data plane', () => {
  it('reads retained messages, decoded, and leaves out topics without one, silently', async () => {
    const broker = await useBroker({ logger: 'silent' })
    await retain(broker, 'announcements', JSON.stringify({ text: 'hello', at: 1 }))
    await retain(broker, 'presence/roster', JSON.stringify([{ clientId: 'ada', connectedAt: 1 }]))
    const { errors, onError } = collect()
    const warn = vi.spyOn(console, 'warn')
    const seed = await readRetained(dataPlane(broker.httpUrl), ['announcements', 'presence/roster', 'nothing/here'], { onError })
    expect(seed).toEqual({ announcements: { text: 'hello', at: 1 }, 'presence/roster': [{ clientId: 'ada', connectedAt: 1 }] })
    expect(errors).toEqual([])
    expect(warn).not.toHaveBeenCalled()
    // the seed feeds a client as it is: the store starts from it
    const live = createClient({ url: broker.url, seed })
    expect(live.topic('announcements').get()).toMatchObject({ data: { text: 'hello', at: 1 }, seeded: true })
    await live.close()
  })

  it('decodes with the codec given', async () => {
    const broker = await useBroker({ logger: 'silent' })
    await retain(broker, 'motd', 'plain text')
    expect(await readRetained(dataPlane(broker.httpUrl), ['motd'], { codec: textCodec })).toEqual({ motd: 'plain text' })
  })

  it('refuses a wildcard filter with INVALID_TOPIC and still reads the others', async () => {
    const broker = await useBroker({ logger: 'silent' })
    await retain(broker, 'announcements', '"hi"')
    const { errors, onError } = collect()
    const seed = await readRetained(dataPlane(broker.httpUrl), ['rooms/+room/messages', 'alerts/#', 'announcements'], { onError })
    expect(seed).toEqual({ announcements: 'hi' })
    expect(errors.map((e) => [e.code, e.topic])).toEqual([
      ['INVALID_TOPIC', 'rooms/+room/messages'],
      ['INVALID_TOPIC', 'alerts/#'],
    ])
  })

  it('leaves out a payload that does not decode, reported as DECODE_FAILED', async () => {
    const broker = await useBroker({ logger: 'silent' })
    await retain(broker, 'broken', 'not json{')
    await retain(broker, 'fine', '1')
    const { errors, onError } = collect()
    expect(await readRetained(dataPlane(broker.httpUrl), ['broken', 'fine'], { onError })).toEqual({ fine: 1 })
    expect(errors.map((e) => [e.code, e.topic])).toEqual([['DECODE_FAILED', 'broken']])
  })

  it('reports a refused request as NOT_AUTHORIZED, without the credentials', async () => {
    const broker = await useBroker({ logger: 'silent', httpToken: 'stand-in-token' })
    const { errors, onError } = collect()
    expect(await readRetained(dataPlane(broker.httpUrl), ['announcements'], { onError })).toEqual({})
    expect(errors.map((e) => [e.code, e.topic])).toEqual([['NOT_AUTHORIZED', 'announcements']])
    expect(JSON.stringify({ message: errors[0]!.message, cause: String(errors[0]!.cause) })).not.toContain(SECRET)
  })

  it('resolves with nothing, never throws, when the endpoint is down (closed port)', async () => {
    const port = await freePort()
    const { errors, onError } = collect()
    expect(await readRetained(dataPlane(`http://127.0.0.1:${port}`), ['a', 'b'], { onError })).toEqual({})
    expect(errors.map((e) => [e.code, e.topic])).toEqual([
      ['CONNECTION_FAILED', 'a'],
      ['CONNECTION_FAILED', 'b'],
    ])
    expect(errors.every((e) => isLiveTopicError(e))).toBe(true)
  })

  it('gives up after the timeout on a server that never answers', async () => {
    const endpoint = await silentServer()
    const { errors, onError } = collect()
    const started = Date.now()
    expect(await readRetained(dataPlane(endpoint), ['a', 'b'], { timeout: 200, onError })).toEqual({})
    const took = Date.now() - started
    expect(took).toBeGreaterThanOrEqual(190)
    expect(took).toBeLessThan(3000)
    expect(errors.map((e) => [e.code, e.topic, e.message])).toEqual([
      ['CONNECTION_FAILED', 'a', 'GetRetainedMessage on "a" timed out after 200 ms'],
      ['CONNECTION_FAILED', 'b', 'GetRetainedMessage on "b" timed out after 200 ms'],
    ])
  })

  it('warns on the console by default, and isolates an onError that throws', async () => {
    const port = await freePort()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(await readRetained(dataPlane(`http://127.0.0.1:${port}`), ['a'])).toEqual({})
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]![0])).toMatch(/^livetopic: readRetained left "a" out: GetRetainedMessage on "a" failed/)

    const reported = vi.spyOn(console, 'error').mockImplementation(() => {})
    const broker = await useBroker({ logger: 'silent' })
    await retain(broker, 'fine', '2')
    const seed = await readRetained(dataPlane(broker.httpUrl), ['a/#', 'fine'], {
      onError: () => {
        throw new Error('a buggy onError')
      },
    })
    expect(seed).toEqual({ fine: 2 })
    expect(reported).toHaveBeenCalledTimes(1)
    expect(String(reported.mock.calls[0]![0])).toContain('a buggy onError')
  })
})
