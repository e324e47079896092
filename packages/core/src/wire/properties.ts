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

// how each value is read and written: the Cursor reader and the Writer method of the same name
type Kind = 'u8' | 'u16' | 'u32' | 'varint' | 'str' | 'bin' | 'pair'
/** Properties whose value may come several times, kept as a list. */
const LISTS: Kind[] = ['varint', 'pair']
const TABLE: [number, keyof Properties, Kind][] = [
  [0x01, 'payloadFormatIndicator', 'u8'],
  [0x02, 'messageExpiryInterval', 'u32'],
  [0x03, 'contentType', 'str'],
  [0x08, 'responseTopic', 'str'],
  [0x09, 'correlationData', 'bin'],
  [0x0b, 'subscriptionIdentifier', 'varint'],
  [0x11, 'sessionExpiryInterval', 'u32'],
  [0x12, 'assignedClientIdentifier', 'str'],
  [0x13, 'serverKeepAlive', 'u16'],
  [0x15, 'authenticationMethod', 'str'],
  [0x16, 'authenticationData', 'bin'],
  [0x17, 'requestProblemInformation', 'u8'],
  [0x18, 'willDelayInterval', 'u32'],
  [0x19, 'requestResponseInformation', 'u8'],
  [0x1a, 'responseInformation', 'str'],
  [0x1c, 'serverReference', 'str'],
  [0x1f, 'reasonString', 'str'],
  [0x21, 'receiveMaximum', 'u16'],
  [0x22, 'topicAliasMaximum', 'u16'],
  [0x23, 'topicAlias', 'u16'],
  [0x24, 'maximumQoS', 'u8'],
  [0x25, 'retainAvailable', 'u8'],
  [0x26, 'userProperties', 'pair'],
  [0x27, 'maximumPacketSize', 'u32'],
  [0x28, 'wildcardSubscriptionAvailable', 'u8'],
  [0x29, 'subscriptionIdentifiersAvailable', 'u8'],
  [0x2a, 'sharedSubscriptionAvailable', 'u8'],
]
const BY_ID = new Map(TABLE.map((row) => [row[0], row]))
const READ: Record<Kind, (c: Cursor) => unknown> = { u8, u16, u32, varint, str, bin, pair: (c) => [str(c), str(c)] }

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
    const value = READ[kind](c)
    if (LISTS.includes(kind)) ((props[name] ??= []) as unknown[]).push(value)
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
  for (const [id, name, kind] of TABLE) {
    const value = props?.[name]
    if (value === undefined) continue
    for (const v of LISTS.includes(kind) ? (value as unknown[]) : [value]) {
      w.varint(id)
      w[kind](v as never)
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
