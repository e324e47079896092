import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand, paginateQuery } from '@aws-sdk/lib-dynamodb'
import type { Roster, RosterMember } from './config.js'

/** The fields of an IoT lifecycle event the roster reads. */
export interface LifecycleEvent {
  clientId: string
  eventType: string
  timestamp: number
  /** Orders a client id's connections: IoT increases it with each new connection. */
  versionNumber: number
  principalIdentifier?: string
}

/** True for a `connected`/`disconnected` payload with the fields the roster orders by. */
export function isLifecycleEvent(value: unknown): value is LifecycleEvent {
  if (value === null || typeof value !== 'object') return false
  const v = value as Record<string, unknown>
  return (
    typeof v.clientId === 'string' &&
    v.clientId !== '' &&
    (v.eventType === 'connected' || v.eventType === 'disconnected') &&
    typeof v.timestamp === 'number' &&
    typeof v.versionNumber === 'number'
  )
}

/** The member a client id belongs to: the user id before the first `_` (client ids are `<userId>_<device>`). */
export const memberOf = (clientId: string): string => {
  const cut = clientId.indexOf('_')
  return cut === -1 ? clientId : clientId.slice(0, cut)
}

// Who counts as a participant: the telemetry device is not one
const isParticipant = (clientId: string): boolean => !clientId.startsWith('telemetry-')

// The roster's partition: one item per client id, plus the change counter
const PK = 'roster'
const VERSION_SK = 'version'
const clientSk = (clientId: string): string => `client#${clientId}`
// A WebSocket connection lasts at most 24 h on IoT: a `connected` older than that (plus slack) lost its disconnect
const CONNECTED_TTL_S = 25 * 3600
// How long a departed client is remembered, so a late `connected` of its old connection stays ignored
const DEPARTED_TTL_S = 24 * 3600

/** One client's newest known state, as stored. */
interface ClientItem {
  clientId: string
  member: string
  principalId?: string
  connected: boolean
  versionNumber: number
  /** 0 connected, 1 disconnected: within one connection (one version) the disconnect is the later event. */
  rank: number
  eventTime: number
  expiresAt: number
}

/**
 * The roster kept in DynamoDB (table: `pk`, `sk` strings; TTL attribute `expiresAt`). Every event
 * is one conditional write keyed by client id that only succeeds when the event is newer than
 * what is stored (by `versionNumber`, then disconnect-after-connect, then `timestamp`), so
 * duplicates and late events change nothing whatever instance handles them; each applied change
 * bumps a counter, the roster's `version`.
 */
export class RosterStore {
  readonly #db: DynamoDBDocumentClient
  readonly #table: string

  /** `table` defaults to `LIVETOPIC_PRESENCE_TABLE`; the client honours `AWS_ENDPOINT_URL_DYNAMODB` (dynalite locally). */
  constructor(table = process.env.LIVETOPIC_PRESENCE_TABLE ?? '', db = DynamoDBDocumentClient.from(new DynamoDBClient({}))) {
    if (table === '') throw new Error('LIVETOPIC_PRESENCE_TABLE is not set')
    this.#table = table
    this.#db = db
  }

  /** Applies one lifecycle event; true when it was news (the roster may have changed and was re-versioned). */
  async apply(event: LifecycleEvent): Promise<boolean> {
    if (!isParticipant(event.clientId)) return false
    const connected = event.eventType === 'connected'
    const item: ClientItem = {
      clientId: event.clientId,
      member: memberOf(event.clientId),
      ...(event.principalIdentifier ? { principalId: event.principalIdentifier } : {}),
      connected,
      versionNumber: event.versionNumber,
      rank: connected ? 0 : 1,
      eventTime: event.timestamp,
      expiresAt: Math.floor(event.timestamp / 1000) + (connected ? CONNECTED_TTL_S : DEPARTED_TTL_S),
    }
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { pk: PK, sk: clientSk(event.clientId), ...item },
          ConditionExpression: 'attribute_not_exists(sk) OR #v < :v OR (#v = :v AND #r < :r) OR (#v = :v AND #r = :r AND #t < :t)',
          ExpressionAttributeNames: { '#v': 'versionNumber', '#r': 'rank', '#t': 'eventTime' },
          ExpressionAttributeValues: { ':v': item.versionNumber, ':r': item.rank, ':t': item.eventTime },
        }),
      )
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false // stale or repeated
      throw error
    }
    await this.#db.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: PK, sk: VERSION_SK },
        UpdateExpression: 'ADD #n :one',
        ExpressionAttributeNames: { '#n': 'counter' },
        ExpressionAttributeValues: { ':one': 1 },
      }),
    )
    return true
  }

  /** The change counter (strongly consistent). */
  async version(): Promise<number> {
    const { Item } = await this.#db.send(new GetCommand({ TableName: this.#table, Key: { pk: PK, sk: VERSION_SK }, ConsistentRead: true }))
    return typeof Item?.counter === 'number' ? Item.counter : 0
  }

  /** The roster now: one member per user, listing that user's connected client ids. Expired entries are skipped (TTL deletes lazily). */
  async roster(version: number, now = Date.now()): Promise<Roster> {
    const byMember = new Map<string, ClientItem[]>()
    const pages = paginateQuery(
      { client: this.#db },
      {
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': PK, ':prefix': 'client#' },
        ConsistentRead: true,
      },
    )
    for await (const page of pages) {
      for (const raw of page.Items ?? []) {
        const item = raw as ClientItem
        if (!item.connected || item.expiresAt * 1000 <= now) continue
        const list = byMember.get(item.member)
        if (list) list.push(item)
        else byMember.set(item.member, [item])
      }
    }
    const members = [...byMember.entries()].map(([member, items]): RosterMember => {
      items.sort((a, b) => a.eventTime - b.eventTime || (a.clientId < b.clientId ? -1 : 1))
      const first = items[0]!
      return {
        userId: member,
        clientId: first.clientId,
        clientIds: items.map((i) => i.clientId),
        connectedAt: first.eventTime,
        versionNumber: first.versionNumber,
        ...(first.principalId ? { principalId: first.principalId } : {}),
      }
    })
    members.sort((a, b) => a.connectedAt - b.connectedAt || (a.userId < b.userId ? -1 : 1))
    return { version, timestamp: now, members }
  }
}

/**
 * Publishes the roster so that the last one retained is the truth although instances publish
 * concurrently and a slow one may finish last with an older snapshot: read the counter, read the
 * roster, publish, and read the counter again; while it moved, go round again. Whoever bumps the
 * counter after our last check publishes after our publish landed, so the last publish read
 * every change. Bounded: after `rounds` the instance that keeps moving the counter takes over.
 */
export async function publishLatest(store: RosterStore, publish: (roster: Roster) => Promise<void>, rounds = 10): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const before = await store.version()
    await publish(await store.roster(before))
    if ((await store.version()) === before) return
  }
}
