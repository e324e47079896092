import { bin, protocolError, str, u16, u32, u8, varint, type Cursor, type Writer } from './bytes.js'

/** MQTT 5 properties, named as in the specification (and as `mqtt-packet` names them). */
export interface Properties {
  payloadFormatIndicator?: number
  messageExpiryInterval?: number
  contentType?: string
  responseTopic?: string
  correlationData?: Uint8Array
  /** May repeat in a PUBLISH. */
  subscriptionIdentifier?: number[]
  sessionExpiryInterval?: number
  assignedClientIdentifier?: string
  serverKeepAlive?: number
  authenticationMethod?: string
  authenticationData?: Uint8Array
  requestProblemInformation?: number
  willDelayInterval?: number
  requestResponseInformation?: number
  responseInformation?: string
  serverReference?: string
  reasonString?: string
  receiveMaximum?: number
  topicAliasMaximum?: number
  topicAlias?: number
  maximumQoS?: number
  retainAvailable?: number
  /** In order, keys may repeat. */
  userProperties?: [string, string][]
  maximumPacketSize?: number
  wildcardSubscriptionAvailable?: number
  subscriptionIdentifiersAvailable?: number
  sharedSubscriptionAvailable?: number
}

// kind: 1 byte, 2 two-byte int, 4 four-byte int, v variable int, s string, b binary, p string pair
type Kind = 1 | 2 | 4 | 'v' | 's' | 'b' | 'p'
const TABLE: [number, keyof Properties, Kind][] = [
  [0x01, 'payloadFormatIndicator', 1],
  [0x02, 'messageExpiryInterval', 4],
  [0x03, 'contentType', 's'],
  [0x08, 'responseTopic', 's'],
  [0x09, 'correlationData', 'b'],
  [0x0b, 'subscriptionIdentifier', 'v'],
  [0x11, 'sessionExpiryInterval', 4],
  [0x12, 'assignedClientIdentifier', 's'],
  [0x13, 'serverKeepAlive', 2],
  [0x15, 'authenticationMethod', 's'],
  [0x16, 'authenticationData', 'b'],
  [0x17, 'requestProblemInformation', 1],
  [0x18, 'willDelayInterval', 4],
  [0x19, 'requestResponseInformation', 1],
  [0x1a, 'responseInformation', 's'],
  [0x1c, 'serverReference', 's'],
  [0x1f, 'reasonString', 's'],
  [0x21, 'receiveMaximum', 2],
  [0x22, 'topicAliasMaximum', 2],
  [0x23, 'topicAlias', 2],
  [0x24, 'maximumQoS', 1],
  [0x25, 'retainAvailable', 1],
  [0x26, 'userProperties', 'p'],
  [0x27, 'maximumPacketSize', 4],
  [0x28, 'wildcardSubscriptionAvailable', 1],
  [0x29, 'subscriptionIdentifiersAvailable', 1],
  [0x2a, 'sharedSubscriptionAvailable', 1],
]
const BY_ID = new Map(TABLE.map((row) => [row[0], row]))

/** Reads a property block (its length first); returns undefined when it is empty. */
export function readProperties(c: Cursor): Properties | undefined {
  const length = varint(c)
  if (length === 0) return undefined
  const end = c.p + length
  if (end > c.end) throw protocolError('truncated properties')
  const props: Record<string, unknown> = {}
  while (c.p < end) {
    const row = BY_ID.get(varint(c))
    if (!row) throw protocolError('unknown property')
    const [, name, kind] = row
    const value =
      kind === 1
        ? u8(c)
        : kind === 2
          ? u16(c)
          : kind === 4
            ? u32(c)
            : kind === 'v'
              ? varint(c)
              : kind === 's'
                ? str(c)
                : kind === 'b'
                  ? bin(c)
                  : [str(c), str(c)]
    if (kind === 'p' || kind === 'v') ((props[name] ??= []) as unknown[]).push(value)
    else if (name in props) throw protocolError(`property ${name} twice`)
    else props[name] = value
  }
  if (c.p !== end) throw protocolError('property overruns its block')
  return props
}

/** Writes a property block, its length first (an empty block is one zero byte). */
export function writeProperties(w: Writer, props: Properties | undefined): void {
  const start = w.p
  w.u8(0)
  if (props) {
    for (const [id, name, kind] of TABLE) {
      const value = props[name]
      if (value === undefined) continue
      const values = kind === 'p' || kind === 'v' ? (value as unknown[]) : [value]
      for (const v of values) {
        w.varint(id)
        if (kind === 1) w.u8(v as number)
        else if (kind === 2) w.u16(v as number)
        else if (kind === 4) w.u32(v as number)
        else if (kind === 'v') w.varint(v as number)
        else if (kind === 's') w.str(v as string)
        else if (kind === 'b') w.bin(v as Uint8Array)
        else {
          w.str((v as [string, string])[0])
          w.str((v as [string, string])[1])
        }
      }
    }
  }
  // the length is a varint in front of the block: move the block when it needs more than one byte
  const length = w.p - start - 1
  if (length < 128) return void (w.b[start] = length)
  const block = w.b.slice(start + 1, w.p)
  w.p = start
  w.varint(length)
  w.raw(block)
}
