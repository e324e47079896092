// Arbitraries in mqtt-packet's shapes, and converters between its shapes and our codec's.
import fc from 'fast-check'
import type { Properties } from '../../../packages/core/src/wire/properties.js'

type MpProps = Record<string, unknown>

// properties mqtt-packet reads and writes as booleans (one byte, 0 or 1 on the wire)
const BOOLEAN = new Set([
  'payloadFormatIndicator',
  'requestProblemInformation',
  'requestResponseInformation',
  'retainAvailable',
  'wildcardSubscriptionAvailable',
  'subscriptionIdentifiersAvailable',
  'sharedSubscriptionAvailable',
])
const LISTS = new Set(['subscriptionIdentifier'])

export const text = (maxLength = 12): fc.Arbitrary<string> => fc.string({ unit: 'grapheme', maxLength })
export const topicName = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }).filter((t) => !/[+#]/.test(t))
export const bytes = (maxLength = 24): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength })
const u16 = fc.integer({ min: 1, max: 0xffff })
const u32 = fc.integer({ min: 1, max: 0xffffffff })
const userKey = text(8).filter((k) => k !== '__proto__')
const userValue = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 })

const VALUES: Record<string, fc.Arbitrary<unknown>> = {
  payloadFormatIndicator: fc.boolean(),
  messageExpiryInterval: u32,
  contentType: text(),
  responseTopic: topicName,
  correlationData: bytes(),
  subscriptionIdentifier: fc.oneof(
    fc.integer({ min: 1, max: 268_435_455 }),
    fc.array(fc.integer({ min: 1, max: 268_435_455 }), { minLength: 2, maxLength: 3 }),
  ),
  sessionExpiryInterval: u32,
  assignedClientIdentifier: text(),
  serverKeepAlive: u16,
  authenticationMethod: text(),
  authenticationData: bytes(),
  requestProblemInformation: fc.boolean(),
  willDelayInterval: u32,
  requestResponseInformation: fc.boolean(),
  responseInformation: text(),
  serverReference: text(),
  reasonString: text(),
  receiveMaximum: u16,
  topicAliasMaximum: u16,
  topicAlias: u16,
  maximumQoS: fc.integer({ min: 0, max: 1 }),
  retainAvailable: fc.boolean(),
  // values not empty: mqtt-packet's parser turns a repeated key with an empty first value into one value
  userProperties: fc.dictionary(userKey, fc.oneof(userValue, fc.array(userValue, { minLength: 2, maxLength: 3 })), { minKeys: 1, maxKeys: 3 }), // mqtt-packet writes nothing at all for an empty one
  maximumPacketSize: u32,
  wildcardSubscriptionAvailable: fc.boolean(),
  subscriptionIdentifiersAvailable: fc.boolean(),
  sharedSubscriptionAvailable: fc.boolean(),
}

/** Arbitrary properties drawn from `names`, in mqtt-packet's shape; undefined half the time. */
export function props(names: string[]): fc.Arbitrary<MpProps | undefined> {
  const record = fc.record(Object.fromEntries(names.map((n) => [n, VALUES[n]!])), { requiredKeys: [] }) as fc.Arbitrary<MpProps>
  return fc.option(record, { nil: undefined })
}

export const PROPS = {
  connect: [
    'sessionExpiryInterval',
    'receiveMaximum',
    'maximumPacketSize',
    'topicAliasMaximum',
    'requestResponseInformation',
    'requestProblemInformation',
    'userProperties',
    'authenticationMethod',
    'authenticationData',
  ],
  will: ['willDelayInterval', 'payloadFormatIndicator', 'messageExpiryInterval', 'contentType', 'responseTopic', 'correlationData', 'userProperties'],
  connack: [
    'sessionExpiryInterval',
    'receiveMaximum',
    'maximumQoS',
    'retainAvailable',
    'maximumPacketSize',
    'assignedClientIdentifier',
    'topicAliasMaximum',
    'reasonString',
    'userProperties',
    'wildcardSubscriptionAvailable',
    'subscriptionIdentifiersAvailable',
    'sharedSubscriptionAvailable',
    'serverKeepAlive',
    'responseInformation',
    'serverReference',
    'authenticationMethod',
    'authenticationData',
  ],
  publish: [
    'payloadFormatIndicator',
    'messageExpiryInterval',
    'topicAlias',
    'responseTopic',
    'correlationData',
    'userProperties',
    'subscriptionIdentifier',
    'contentType',
  ],
  ack: ['reasonString', 'userProperties'],
  disconnect: ['sessionExpiryInterval', 'reasonString', 'userProperties', 'serverReference'],
}

/** mqtt-packet's shape → ours. */
export function toOurs(mp: MpProps | undefined): Properties | undefined {
  if (!mp) return undefined
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(mp)) {
    if (value === undefined) continue
    if (name === 'userProperties')
      out[name] = Object.entries(value as Record<string, string | string[]>).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, x]))
    else if (LISTS.has(name)) out[name] = Array.isArray(value) ? value : [value]
    else if (BOOLEAN.has(name)) out[name] = value ? 1 : 0
    else out[name] = value
  }
  return out
}

/** Ours → mqtt-packet's shape (single values unwrapped as its parser does). */
export function fromOurs(props: Properties | undefined): MpProps | undefined {
  if (!props) return undefined
  const out: MpProps = {}
  for (const [name, value] of Object.entries(props)) {
    if (name === 'userProperties') {
      const pairs = Object.create(null) as Record<string, string | string[]>
      for (const [k, v] of value as [string, string][]) {
        const seen = Object.hasOwn(pairs, k) ? pairs[k] : undefined
        pairs[k] = seen === undefined ? v : Array.isArray(seen) ? [...seen, v] : [seen, v]
      }
      out[name] = pairs
    } else if (LISTS.has(name)) out[name] = (value as number[]).length === 1 ? (value as number[])[0] : value
    else if (BOOLEAN.has(name)) out[name] = value !== 0
    else out[name] = value
  }
  return out
}

/** Deep copy with Buffers/Uint8Arrays as plain arrays, null-prototype objects as plain ones, undefined keys dropped. */
export function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return Array.from(value)
  if (Array.isArray(value)) return value.map(plain)
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v)
    return out
  }
  return value
}

/** Empty property objects are the same as none. */
export function normalProps(p: MpProps | undefined): unknown {
  if (!p) return undefined
  const out = plain(p) as Record<string, unknown>
  if (out.userProperties && Object.keys(out.userProperties).length === 0) delete out.userProperties
  if (out.subscriptionIdentifier !== undefined && Array.isArray(out.subscriptionIdentifier) && (out.subscriptionIdentifier as unknown[]).length === 1)
    out.subscriptionIdentifier = (out.subscriptionIdentifier as unknown[])[0]
  return Object.keys(out).length === 0 ? undefined : out
}
