import { randomUUID } from 'node:crypto'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand, paginateQuery } from '@aws-sdk/lib-dynamodb'
import type { Roster, RosterMember } from './config.js'
import { userOf } from './names.js'

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

// The member a client id belongs to: the user id before the first `_` (client ids are `<userId>_<device>`)
const memberOf = userOf

// Who counts as a participant: the telemetry device is not one
const isParticipant = (clientId: string): boolean => !clientId.startsWith('telemetry-')

// The roster's partition: one item per client id, plus the change counter
const PK = 'roster'
const VERSION_SK = 'version'
const LEASE_SK = 'publisher'
const PUBLISHED_SK = 'published'
const clientSk = (clientId: string): string => `client#${clientId}`
// A WebSocket connection lasts at most 24 h on IoT: a `connected` older than that (plus slack) lost its disconnect
const CONNECTED_TTL_S = 25 * 3600
// How long one instance may hold the publishing lease without renewing it: above a round's time, below the Lambda timeout's sum
const LEASE_MS = 10_000
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

  /** Applies one lifecycle event; the roster version it made, or 0 when it was stale or repeated (nothing changed). */
  async apply(event: LifecycleEvent): Promise<number> {
    if (!isParticipant(event.clientId)) return 0
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
      if ((error as Error).name === 'ConditionalCheckFailedException') return 0 // stale or repeated
      throw error
    }
    const { Attributes } = await this.#db.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: PK, sk: VERSION_SK },
        UpdateExpression: 'ADD #n :one',
        ExpressionAttributeNames: { '#n': 'counter' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    )
    return Attributes?.counter as number
  }

  /** The newest roster version known to be published (strongly consistent). */
  async published(): Promise<number> {
    const { Item } = await this.#db.send(new GetCommand({ TableName: this.#table, Key: { pk: PK, sk: PUBLISHED_SK }, ConsistentRead: true }))
    return typeof Item?.counter === 'number' ? Item.counter : 0
  }

  /** Records that the roster at `version` was published (by the lease holder, so versions only grow). */
  async markPublished(version: number): Promise<void> {
    await this.#db.send(new PutCommand({ TableName: this.#table, Item: { pk: PK, sk: PUBLISHED_SK, counter: version } }))
  }

  /** The change counter (strongly consistent). */
  async version(): Promise<number> {
    const { Item } = await this.#db.send(new GetCommand({ TableName: this.#table, Key: { pk: PK, sk: VERSION_SK }, ConsistentRead: true }))
    return typeof Item?.counter === 'number' ? Item.counter : 0
  }

  /** Takes the publishing lease (free, or expired: its holder died); false when another instance holds it. */
  async tryLease(owner: string, now = Date.now()): Promise<boolean> {
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { pk: PK, sk: LEASE_SK, owner, until: now + LEASE_MS, expiresAt: Math.floor(now / 1000) + 3600 },
          ConditionExpression: 'attribute_not_exists(sk) OR #until < :now',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':now': now },
        }),
      )
      return true
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false
      throw error
    }
  }

  /** Gives the lease back, unless it already passed to another instance. */
  async releaseLease(owner: string): Promise<void> {
    try {
      await this.#db.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: { pk: PK, sk: LEASE_SK },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      )
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error
    }
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

// Rounds a lease holder publishes before it lets others take a turn (a burst of events keeps the counter moving)
const MAX_ROUNDS = 5

/**
 * Publishes the roster until the change `version` (what {@link RosterStore.apply} returned) is in a
 * published roster, so the last one retained is the truth although many instances handle events
 * at once. One instance at a time publishes: it holds a lease (a conditional write), publishes
 * the roster at the counter's current value and records it, until the counter stops moving (or
 * a few rounds), then releases. An instance that finds the lease taken waits until its change is
 * published or the lease is free. One publisher at a time means publishes land in order, with
 * growing versions; each covers every change counted before it. See docs/presence.md.
 */
export async function publishLatest(store: RosterStore, version: number, publish: (roster: Roster) => Promise<void>): Promise<void> {
  const owner = randomUUID()
  while ((await store.published()) < version) {
    if (!(await store.tryLease(owner))) {
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100))
      continue
    }
    try {
      let published = await store.published()
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const current = await store.version()
        if (current <= published) break
        await publish(await store.roster(current))
        await store.markPublished(current)
        published = current
      }
    } finally {
      await store.releaseLease(owner)
    }
  }
}
