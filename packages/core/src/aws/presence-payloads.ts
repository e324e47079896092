import { LiveTopicError } from '../errors.js'
import type { Message } from '../types.js'
import type { PresenceFact, PresenceMember } from './presence-tracker.js'

/** Filter of IoT Core's presence lifecycle events, with named wildcards for the event and the client. */
export const PRESENCE_FILTER = '$aws/events/presence/+event/+clientId'

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined)
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined)

/**
 * Reads a `connected`/`disconnected` lifecycle event (`{ clientId, timestamp, eventType,
 * principalIdentifier, ipAddress, versionNumber, ... }`). Other events (`connect_failed`) give
 * `undefined`; a payload of the wrong shape gives a DECODE_FAILED error.
 */
export function lifecycleFact(message: Message<unknown>): PresenceFact | LiveTopicError | undefined {
  const payload = message.payload
  const type = (isRecord(payload) ? str(payload.eventType) : undefined) ?? message.params.event
  if (type !== 'connected' && type !== 'disconnected') return undefined
  const clientId = (isRecord(payload) ? str(payload.clientId) : undefined) ?? message.params.clientId
  const timestamp = isRecord(payload) ? num(payload.timestamp) : undefined
  if (!isRecord(payload) || clientId === undefined || timestamp === undefined)
    return new LiveTopicError('DECODE_FAILED', `lifecycle event on "${message.topic}" lacks clientId or timestamp`, { topic: message.topic })
  const version = num(payload.versionNumber)
  const fact: PresenceFact = { clientId, connected: type === 'connected', timestamp, ...(version === undefined ? {} : { version }) }
  if (fact.connected) fact.member = member({ clientId, connectedAt: timestamp, principalId: payload.principalIdentifier, ipAddress: payload.ipAddress })
  return fact
}

/** A roster: who is connected at `timestamp`, with the version number of each connection when known. */
export interface Roster {
  members: PresenceMember[]
  timestamp: number
  versions: Map<string, number>
}

/**
 * Reads a roster payload: a JSON list of members, or `{ members, timestamp? }`. Members are
 * `{ clientId, connectedAt?, principalId?, ipAddress?, versionNumber? }`; an empty payload (a
 * deleted retained message) is an empty roster. Without a `timestamp` the newest `connectedAt` is used.
 */
export function parseRoster(message: Message<unknown>): Roster | LiveTopicError {
  const payload = message.payload
  const list = payload === null ? [] : Array.isArray(payload) ? payload : isRecord(payload) && Array.isArray(payload.members) ? payload.members : undefined
  if (!list) return new LiveTopicError('DECODE_FAILED', `roster on "${message.topic}" is not a list of members`, { topic: message.topic })
  const members: PresenceMember[] = []
  const versions = new Map<string, number>()
  for (const item of list as unknown[]) {
    const clientId = isRecord(item) ? str(item.clientId) : typeof item === 'string' ? item : undefined
    if (clientId === undefined)
      return new LiveTopicError('DECODE_FAILED', `roster on "${message.topic}" has a member without a clientId`, { topic: message.topic })
    const record = isRecord(item) ? item : {}
    members.push(member({ clientId, connectedAt: num(record.connectedAt) ?? 0, principalId: record.principalId, ipAddress: record.ipAddress }))
    const version = num(record.versionNumber)
    if (version !== undefined) versions.set(clientId, version)
  }
  const timestamp = (isRecord(payload) ? num(payload.timestamp) : undefined) ?? members.reduce((max, m) => Math.max(max, m.connectedAt), 0)
  return { members, timestamp, versions }
}

function member(fields: { clientId: string; connectedAt: number; principalId: unknown; ipAddress: unknown }): PresenceMember {
  const principalId = str(fields.principalId)
  const ipAddress = str(fields.ipAddress)
  return {
    clientId: fields.clientId,
    connectedAt: fields.connectedAt,
    ...(principalId === undefined ? {} : { principalId }),
    ...(ipAddress === undefined ? {} : { ipAddress }),
  }
}
