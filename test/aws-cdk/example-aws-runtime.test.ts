import { createServer, type Server } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { readDeployedConfig } from '../../examples/shared/broker-target.js'
import { topics } from '../../examples/shared/config.js'
import { useBroker } from '../helpers/broker.js'
import { eventually } from '../helpers/wait.js'
import { connect, inbox } from '../broker/support.js'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

/** A static page server on 127.0.0.1 that answers /config.json with `body` (or 404) and anything else with HTML. */
async function pageServer(config: string | undefined): Promise<string> {
  const server = createServer((req, res) => {
    if (req.url === '/app/config.json' && config !== undefined) res.writeHead(200, { 'content-type': 'application/json' }).end(config)
    else if (req.url === '/app/config.json') res.writeHead(404).end()
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html>')
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/app/index.html`
}

describe('examples/aws at run time', () => {
  it('the page reads the deployed config.json next to it, and finds none on a dev server (404 or index.html)', async () => {
    const deployed = { endpoint: 'abc123-ats.iot.eu-west-1.amazonaws.com', authorizerName: 'LiveTopicExampleAuth', region: 'eu-west-1' }
    expect(await readDeployedConfig(await pageServer(JSON.stringify(deployed)))).toEqual(deployed)
    expect(await readDeployedConfig(await pageServer(undefined))).toBeUndefined()
    expect(await readDeployedConfig(await pageServer('{"endpoint":""}'))).toBeUndefined()
  })

  it("the chat rule's Lambda handler validates and republishes through the IoT Data Plane API", { timeout: 30_000 }, async () => {
    const broker = await useBroker({ logger: 'silent' })
    const saved = { ...process.env }
    Object.assign(process.env, {
      LIVETOPIC_IOT_ENDPOINT: broker.httpUrl,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local-secret',
    })
    try {
      const { handler } = await import('../../examples/shared/lambda/chat.js')
      const listener = await connect(broker.url, { clientId: 'listener' })
      await listener.subscribeAsync(topics.room, { qos: 1 })
      const seen = inbox(listener)
      // the event is the rule's SELECT result: SELECT name, text, clientid() AS clientId FROM 'client/+' WHERE ...
      await handler({ name: 'Alice', text: '  hello from Lambda  ', clientId: 'Alice-1' })
      await handler({ name: 'Mallory', text: '' }) // dropped by the shared validation, as locally
      await eventually(() => seen.length === 1)
      expect(JSON.parse(seen[0]!.text)).toMatchObject({ clientId: 'Alice-1', name: 'Alice', text: 'hello from Lambda' })
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    }
  })
})
