// Everything our encoder writes is read back identically by mqtt-packet (the parser of MQTT.js and aedes).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  encodeAck,
  encodeConnect,
  encodeShortAck,
  encodeDisconnect,
  encodePublish,
  encodeSubscribe,
  encodeUnsubscribe,
  PINGREQ,
} from '../../../packages/core/src/wire/encode.js'
import type { ProtocolLevel } from '../../../packages/core/src/wire/packets.js'
import { referenceParse } from './helpers.js'
import { bytes, normalProps, plain, props, PROPS, text, toOurs, topicName } from './mqtt-packet-shapes.js'

const level = fc.constantFrom<ProtocolLevel>(3, 4, 5)
const qos = fc.constantFrom<0 | 1 | 2>(0, 1, 2)
const id = fc.integer({ min: 1, max: 0xffff })
const runs = { numRuns: 300 }

function single(bytes: Uint8Array, version: ProtocolLevel): Record<string, unknown> {
  const packets = referenceParse(bytes, version)
  expect(packets).toHaveLength(1)
  return plain(packets[0]) as Record<string, unknown>
}

describe('our encoder, read by mqtt-packet', () => {
  it('CONNECT (3.1, 3.1.1, 5): flags, keep-alive, credentials, will, properties', () => {
    const connect = level
      .chain((lv) =>
        fc.record({
          lv: fc.constant(lv),
          clientId: text(23).filter((s) => s.length > 0),
          clean: fc.boolean(),
          keepalive: fc.integer({ min: 0, max: 0xffff }),
          username: fc.option(text(), { nil: undefined }),
          password: fc.option(bytes(), { nil: undefined }),
          will: fc.option(
            fc.record({ topic: topicName, payload: bytes(), qos, retain: fc.boolean(), properties: lv === 5 ? props(PROPS.will) : fc.constant(undefined) }),
            { nil: undefined },
          ),
          properties: lv === 5 ? props(PROPS.connect) : fc.constant(undefined),
        }),
      )
      .filter((c) => c.lv === 5 || c.password === undefined || c.username !== undefined)
    fc.assert(
      fc.property(connect, (c) => {
        const { will } = c
        const encoded = encodeConnect({
          level: c.lv,
          clientId: c.clientId,
          clean: c.clean,
          keepalive: c.keepalive,
          ...(c.username === undefined ? {} : { username: c.username }),
          ...(c.password === undefined ? {} : { password: c.password }),
          ...(will
            ? {
                will: {
                  topic: will.topic,
                  payload: will.payload,
                  qos: will.qos,
                  retain: will.retain,
                  ...(will.properties ? { properties: toOurs(will.properties)! } : {}),
                },
              }
            : {}),
          ...(c.properties ? { properties: toOurs(c.properties)! } : {}),
        })
        const parsed = single(encoded, c.lv)
        expect(parsed).toMatchObject({
          cmd: 'connect',
          protocolId: c.lv === 3 ? 'MQIsdp' : 'MQTT',
          protocolVersion: c.lv,
          clean: c.clean,
          keepalive: c.keepalive,
          clientId: c.clientId,
        })
        expect(parsed.username).toBe(c.username)
        expect(parsed.password).toEqual(c.password && Array.from(c.password))
        const parsedWill = parsed.will as Record<string, unknown> | undefined
        if (!will) expect(parsedWill).toBeUndefined()
        else {
          expect(parsedWill).toMatchObject({ topic: will.topic, payload: Array.from(will.payload), qos: will.qos, retain: will.retain })
          expect(normalProps(parsedWill!.properties as never)).toEqual(normalProps(will.properties))
        }
        expect(normalProps(parsed.properties as never)).toEqual(normalProps(c.properties))
      }),
      runs,
    )
  })

  it('PUBLISH: topic, payload, QoS, retain, DUP, packet id, properties', () => {
    const publish = fc.constantFrom<ProtocolLevel>(4, 5).chain((lv) =>
      fc.record({
        lv: fc.constant(lv),
        topic: topicName,
        payload: bytes(200),
        qos,
        retain: fc.boolean(),
        dup: fc.boolean(),
        id,
        properties: lv === 5 ? props(PROPS.publish) : fc.constant(undefined),
      }),
    )
    fc.assert(
      fc.property(publish, (p) => {
        const encoded = encodePublish(
          {
            topic: p.topic,
            payload: p.payload,
            qos: p.qos,
            retain: p.retain,
            dup: p.dup,
            id: p.id,
            ...(p.properties ? { properties: toOurs(p.properties)! } : {}),
          },
          p.lv,
        )
        const parsed = single(encoded, p.lv)
        expect(parsed).toMatchObject({ cmd: 'publish', topic: p.topic, payload: Array.from(p.payload), qos: p.qos, retain: p.retain, dup: p.dup })
        if (p.qos > 0) expect(parsed.messageId).toBe(p.id)
        expect(normalProps(parsed.properties as never)).toEqual(normalProps(p.properties))
      }),
      runs,
    )
  })

  it('PUBACK, PUBREC, PUBREL, PUBCOMP with reason codes (5)', () => {
    // the reason codes the specification allows for each (mqtt-packet checks them)
    const ack = fc
      .oneof(
        fc.record({
          type: fc.constantFrom('puback', 'pubrec') as fc.Arbitrary<'puback'>,
          reasonCode: fc.constantFrom(0, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99),
        }),
        fc.record({ type: fc.constantFrom('pubrel', 'pubcomp') as fc.Arbitrary<'pubrel'>, reasonCode: fc.constantFrom(0, 0x92) }),
      )
      .chain((a) =>
        fc.record({
          lv: fc.constantFrom<ProtocolLevel>(4, 5),
          type: fc.constant(a.type),
          reasonCode: fc.constant(a.reasonCode),
          id,
          properties: props(PROPS.ack),
        }),
      )
    fc.assert(
      fc.property(ack, (a) => {
        const v5 = a.lv === 5
        const encoded = encodeAck(
          { type: a.type, id: a.id, ...(v5 ? { reasonCode: a.reasonCode } : {}), ...(v5 && a.properties ? { properties: toOurs(a.properties)! } : {}) },
          a.lv,
        )
        const parsed = single(encoded, a.lv)
        expect(parsed).toMatchObject({ cmd: a.type, messageId: a.id })
        if (v5) {
          expect(parsed.reasonCode ?? 0).toBe(a.reasonCode)
          expect(normalProps(parsed.properties as never)).toEqual(normalProps(a.properties))
        }
      }),
      runs,
    )
  })

  it('a success PUBACK, PUBREC or PUBCOMP written directly: the bytes of encodeAck, read back by mqtt-packet', () => {
    const kinds = [
      [0x40, 'puback'],
      [0x50, 'pubrec'],
      [0x70, 'pubcomp'],
    ] as const
    fc.assert(
      fc.property(fc.constantFrom(...kinds), id, level, ([first, cmd], messageId, lv) => {
        const direct = encodeShortAck(first, messageId)
        expect(direct).toEqual(encodeAck({ type: cmd, id: messageId }, lv))
        const [parsed, ...more] = referenceParse(direct, lv)
        expect(more).toEqual([])
        expect(parsed).toMatchObject({ cmd, messageId })
        expect((parsed as { reasonCode?: number }).reasonCode ?? 0).toBe(0)
      }),
      runs,
    )
  })

  it('SUBSCRIBE with subscription options (5) and UNSUBSCRIBE', () => {
    const sub = fc.constantFrom<ProtocolLevel>(4, 5).chain((lv) =>
      fc.record({
        lv: fc.constant(lv),
        id,
        subscriptions: fc.array(
          fc.record({ topic: text(20).filter((s) => s.length > 0), qos, nl: fc.boolean(), rap: fc.boolean(), rh: fc.integer({ min: 0, max: 2 }) }),
          { minLength: 1, maxLength: 8 },
        ),
        properties: lv === 5 ? props(['userProperties']) : fc.constant(undefined),
      }),
    )
    fc.assert(
      fc.property(sub, (s) => {
        const list = s.subscriptions.map((x) => (s.lv === 5 ? x : { topic: x.topic, qos: x.qos }))
        const parsed = single(encodeSubscribe({ id: s.id, subscriptions: list, ...(s.properties ? { properties: toOurs(s.properties)! } : {}) }, s.lv), s.lv)
        expect(parsed).toMatchObject({ cmd: 'subscribe', messageId: s.id })
        expect(
          (parsed.subscriptions as Record<string, unknown>[]).map((x) =>
            s.lv === 5 ? { topic: x.topic, qos: x.qos, nl: x.nl, rap: x.rap, rh: x.rh } : { topic: x.topic, qos: x.qos },
          ),
        ).toEqual(list)
        const unsub = single(encodeUnsubscribe({ id: s.id, topics: s.subscriptions.map((x) => x.topic) }, s.lv), s.lv)
        expect(unsub).toMatchObject({ cmd: 'unsubscribe', messageId: s.id, unsubscriptions: s.subscriptions.map((x) => x.topic) })
      }),
      runs,
    )
  })

  it('PINGREQ and DISCONNECT with a reason code (5)', () => {
    expect(single(PINGREQ, 4)).toMatchObject({ cmd: 'pingreq' })
    fc.assert(
      fc.property(fc.constantFrom<ProtocolLevel>(4, 5), fc.constantFrom(0, 4, 0x81, 0x8e), props(PROPS.disconnect), (lv, code, p) => {
        const parsed = single(encodeDisconnect(lv, code, lv === 5 ? toOurs(p) : undefined), lv)
        expect(parsed.cmd).toBe('disconnect')
        if (lv === 5) {
          expect(parsed.reasonCode ?? 0).toBe(code)
          expect(normalProps(parsed.properties as never)).toEqual(normalProps(p))
        }
      }),
      runs,
    )
  })
})
