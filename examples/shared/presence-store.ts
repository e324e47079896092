// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- dynalite ships no types; tests compile this file too
/// <reference path="./dynalite.d.ts" />
import type { IncomingMessage, RequestListener, Server as HttpServer, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import dynalite from 'dynalite'
import { PRESENCE_TABLE_ENV } from './rules.js'

/** A local DynamoDB (dynalite, in memory) holding the presence table. */
export interface LocalPresenceStore {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string
  table: string
  /** The presence function's environment: table name and `AWS_ENDPOINT_URL_DYNAMODB`. */
  environment: Record<string, string>
  close(): Promise<void>
}

/**
 * Starts dynalite on a free 127.0.0.1 port and creates the presence table as the CDK stack does
 * (`pk`/`sk` strings, TTL attribute `expiresAt`, which dynalite does not expire: the roster skips
 * expired items itself). No Java, no Docker, no account.
 */
export async function startLocalPresenceStore(table = 'livetopic-presence'): Promise<LocalPresenceStore> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const drain = drainableRequests(server)
  const close = async (): Promise<void> => {
    await drain()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  // dynalite takes any credentials; these keep the SDK from looking for real ones
  const db = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } })
  try {
    await db.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
      }),
    )
  } catch (error) {
    await close()
    throw error
  } finally {
    db.destroy()
  }
  return { endpoint, table, environment: { [PRESENCE_TABLE_ENV]: table, AWS_ENDPOINT_URL_DYNAMODB: endpoint }, close }
}

// far above any DynamoDB call dynalite serves, and above Lambda's default time limit of 3 s
const DRAIN_LIMIT_MS = 10_000

/**
 * dynalite closes its database as soon as its sockets are gone, and throws (uncaught, in our process)
 * from a request it is still working on: one whose caller hung up mid-call, such as a Lambda killed
 * past its time limit. Its request handler is wrapped: the returned function stops new requests
 * (503) and resolves once every request dynalite took has been answered, so its close comes after.
 */
function drainableRequests(server: HttpServer): () => Promise<void> {
  const handlers = server.listeners('request') as RequestListener[]
  server.removeAllListeners('request')
  let open = 0
  let closing = false
  const waiters: (() => void)[] = []
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (closing) {
      response.writeHead(503, { connection: 'close' }).end()
      return
    }
    open++
    let answered = false
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse
    // `end`, not 'finish': a response to a closed socket never finishes, but dynalite still ends it
    response.end = ((...args: unknown[]) => {
      if (!answered && --open === 0) for (const wake of waiters.splice(0)) wake()
      answered = true
      return end(...args)
    }) as ServerResponse['end']
    for (const handle of handlers) handle(request, response)
  })
  return () => {
    closing = true
    if (open === 0) return Promise.resolve()
    return new Promise<void>((resolve) => {
      // a request dynalite never answers (it crashed on it) must not hang the close
      const giveUp = setTimeout(resolve, DRAIN_LIMIT_MS)
      waiters.push(() => {
        clearTimeout(giveUp)
        resolve()
      })
    })
  }
}
