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
const stateSk = (clientId: string): string => `state#${clientId}`
// Largest state recorded, bytes of JSON: core's cap (1 KB) by default; larger ones are dropped, not stored
const MAX_STATE_BYTES = 4096
// A WebSocket connection lasts at most 24 h on IoT: a `connected` older than that (plus slack) lost its disconnect
const CONNECTED_TTL_S = 25 * 3600
// How long one instance may hold the publishing lease without renewing it: above a round's time, below the Lambda timeout's sum
const LEASE_MS = 10_000
// How long a departed client is remembered, so a late `connected` of its old connection stays ignored
const DEPARTED_TTL_S = 24 * 3600
// A state outlives its connection by the connected TTL at most: a reconnect announces anew
const STATE_TTL_S = CONNECTED_TTL_S

/** A presence state a connection announced (`presence/state/<clientId>`, see `iotPresence`). */
export interface StateAnnouncement {
  /** The announcing connection: `clientid()` in the rule, never the payload's word. */
  clientId: string
  state: unknown
  /** The client's time of the announcement (ms): orders one client's announcements. */
  at: number
}

/** True for what the presence_state rule passes: a client id, a state and a time. */
export function isStateAnnouncement(value: unknown): value is StateAnnouncement {
  if (value === null || typeof value !== 'object') return false
  const v = value as Record<string, unknown>
  return typeof v.clientId === 'string' && v.clientId !== '' && typeof v.at === 'number' && Number.isFinite(v.at)
}

/** One connection's announced state, as stored. */
interface StateItem {
  clientId: string
  state: unknown
  at: number
  expiresAt: number
}

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
    return this.#bump()
  }

  /**
   * Records a connection's presence state if it is newer (by the client's `at`) than the stored
   * one; the roster version it made, or 0 when stale, repeated, too large or from a non-participant.
   */
  async applyState(announcement: StateAnnouncement, now = Date.now()): Promise<number> {
    if (!isParticipant(announcement.clientId)) return 0
    if (Buffer.byteLength(JSON.stringify(announcement.state ?? null)) > MAX_STATE_BYTES) return 0
    const item: StateItem = {
      clientId: announcement.clientId,
      state: announcement.state ?? null,
      at: announcement.at,
      expiresAt: Math.floor(now / 1000) + STATE_TTL_S,
    }
    try {
      await this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { pk: PK, sk: stateSk(item.clientId), ...item },
          ConditionExpression: 'attribute_not_exists(sk) OR #at < :at',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':at': item.at },
        }),
      )
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return 0 // stale or repeated
      throw error
    }
    return this.#bump()
  }

  // one more change: the new roster version
  async #bump(): Promise<number> {
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

  /**
   * The roster now: one member per user, listing that user's connected client ids, with the newest
   * state any of them announced. Expired entries are skipped (TTL deletes lazily).
   */
  async roster(version: number, now = Date.now()): Promise<Roster> {
    const byMember = new Map<string, ClientItem[]>()
    const states = new Map<string, StateItem>()
    // the whole partition: client items, state items and three bookkeeping items
    const pages = paginateQuery(
      { client: this.#db },
      { TableName: this.#table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': PK }, ConsistentRead: true },
    )
    for await (const page of pages) {
      for (const raw of page.Items ?? []) {
        const sk = String(raw.sk)
        if (sk.startsWith('state#')) {
          const state = raw as StateItem
          if (state.expiresAt * 1000 > now) states.set(state.clientId, state)
          continue
        }
        if (!sk.startsWith('client#')) continue
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
      const newest = items.map((i) => states.get(i.clientId)).reduce<StateItem | undefined>((best, s) => (s && (!best || s.at > best.at) ? s : best), undefined)
      return {
        userId: member,
        clientId: first.clientId,
        clientIds: items.map((i) => i.clientId),
        connectedAt: first.eventTime,
        versionNumber: first.versionNumber,
        ...(first.principalId ? { principalId: first.principalId } : {}),
        ...(newest ? { state: newest.state, stateAt: newest.at, stateClientId: newest.clientId } : {}),
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
