import { describe, expect, it } from 'vitest'
import { parseSql, startBroker, type RuleContext } from '@livetopic/broker'
import { useBroker } from '../helpers/broker.js'
import { eventually, sleep } from '../helpers/wait.js'
import { connect, inbox } from './support.js'

describe('IoT SQL subset (parser)', () => {
  it('parses SELECT *, fields with AS, FROM a filter and WHERE comparisons', () => {
    const s = parseSql(
      "SELECT *, state.reported.temp AS temp, topic(2) AS room FROM 'rooms/+/messages' WHERE temp > 20 AND NOT (kind = 'ping' OR urgent <> true)",
    )
    expect(s.from).toBe('rooms/+/messages')
    expect(s.select.map((i) => (i.kind === 'star' ? '*' : i.name))).toEqual(['*', 'temp', 'room'])
    expect(s.where?.kind).toBe('logic')
  })

  it('rejects what it does not support with a clear error, at start-up', async () => {
    expect(() => parseSql("SELECT upper(name) AS n FROM 'a'")).toThrow(/function upper\(\) is not supported/)
    expect(() => parseSql("SELECT * FROM 'a' WHERE x IN (1, 2)")).toThrow(/unsupported or unexpected input/)
    expect(() => parseSql('SELECT * FROM a')).toThrow(/FROM needs a quoted topic filter/)
    expect(() => parseSql("SELECT a + 1 FROM 'a'")).toThrow(/unexpected character/)
    await expect(startBroker({ logger: 'silent', rules: [{ sql: "SELECT * FROM 'a' LIMIT 1", republish: 'b' }] })).rejects.toThrow(/rule 1 .*unsupported/)
  })
})

describe('topic rules', () => {
  it('republishes with ${topic(n)} substitution and WHERE filtering', async () => {
    const broker = await useBroker({
      logger: 'silent',
      rules: [
        { sql: "SELECT text, clientid() AS from, topic(2) AS room FROM 'chat/+/in' WHERE length > 2 OR vip = true", republish: 'server/${topic(2)}/out' },
      ],
    })
    const c = await connect(broker.url, { clientId: 'alice' })
    const seen = inbox(c)
    await c.subscribeAsync('server/#', { qos: 1 })
    await c.publishAsync('chat/lobby/in', JSON.stringify({ text: 'hello', length: 5, extra: 1 }), { qos: 1 })
    await c.publishAsync('chat/lobby/in', JSON.stringify({ text: 'no', length: 1 }), { qos: 1 })
    await c.publishAsync('chat/vip/in', JSON.stringify({ text: 'hi', length: 1, vip: true }), { qos: 1 })
    await eventually(() => seen.length === 2)
    await sleep(100)
    expect(seen.map((m) => [m.topic, JSON.parse(m.text) as unknown])).toEqual([
      ['server/lobby/out', { text: 'hello', from: 'alice', room: 'lobby' }],
      ['server/vip/out', { text: 'hi', from: 'alice', room: 'vip' }],
    ])
  })

  it('runs an action function with the selected message and context; SELECT * passes non-JSON through', async () => {
    const calls: [unknown, Omit<RuleContext, 'republish' | 'payload'>][] = []
    const broker = await useBroker({
      logger: 'silent',
      rules: [
        {
          sql: "SELECT * FROM 'client/+'",
          action: (message, context) => {
            calls.push([
              Buffer.isBuffer(message) ? message.toString() : message,
              { topic: context.topic, clientId: context.clientId, timestamp: context.timestamp },
            ])
            return context.republish('server', { echoed: context.topic })
          },
        },
      ],
    })
    const c = await connect(broker.url, { clientId: 'bob' })
    const seen = inbox(c)
    await c.subscribeAsync('server', { qos: 1 })
    await c.publishAsync('client/bob', JSON.stringify({ message: 'Hello world!' }), { qos: 1 })
    await c.publishAsync('client/bob', 'plain text', { qos: 1 })
    await eventually(() => seen.length === 2)
    expect(calls.map(([m, ctx]) => [m, ctx.topic, ctx.clientId])).toEqual([
      [{ message: 'Hello world!' }, 'client/bob', 'bob'],
      ['plain text', 'client/bob', 'bob'],
    ])
    expect(JSON.parse(seen[0]!.text)).toEqual({ echoed: 'client/bob' })
  })

  it('follows IoT matching (a/# does not match a) and stops a rule that republishes into itself', async () => {
    let runs = 0
    const broker = await useBroker({
      logger: 'silent',
      rules: [
        {
          sql: "SELECT * FROM 'loop/#'",
          action: (_m, ctx) => {
            runs++
            return ctx.republish('loop/again', { n: runs })
          },
        },
      ],
    })
    const c = await connect(broker.url, { clientId: 'l' })
    await c.publishAsync('loop', 'parent topic: no match', { qos: 1 })
    await c.publishAsync('loop/start', '{}', { qos: 1 })
    await eventually(() => runs === 8)
    await sleep(150)
    expect(runs).toBe(8)
  })

  it('evaluates every comparison and logic operator of the subset', async () => {
    const where: Record<string, string> = {
      eq: "name = 'a'",
      ne: "name <> 'a'",
      lt: 'n < 2',
      le: 'n <= 2',
      gt: 'n > 2',
      ge: 'n >= 2',
      not: 'NOT flag = true',
      and: "n > 0 AND name = 'a'",
      or: "n > 5 OR name = 'b'",
      missing: 'absent = 1',
      clientid: "clientid() = 'ops'",
      topic: "topic(1) = 'ops'",
    }
    const hits: Record<string, number[]> = {}
    const broker = await useBroker({
      logger: 'silent',
      rules: Object.entries(where).map(([name, cond]) => ({
        name,
        sql: `SELECT n FROM 'ops/+' WHERE ${cond}`,
        action: (m: Record<string, unknown> | Buffer) => void (hits[name] ??= []).push((m as { n: number }).n),
      })),
    })
    const c = await connect(broker.url, { clientId: 'ops' })
    for (const msg of [
      { n: 1, name: 'a', flag: true },
      { n: 2, name: 'b', flag: false },
      { n: 3, name: 'a' },
    ]) {
      await c.publishAsync('ops/x', JSON.stringify(msg), { qos: 1 })
    }
    await eventually(() => (hits.topic?.length ?? 0) === 3)
    await sleep(50)
    expect(hits).toEqual({
      eq: [1, 3],
      ne: [2],
      lt: [1],
      le: [1, 2],
      gt: [3],
      ge: [2, 3],
      not: [2],
      and: [1, 3],
      or: [2],
      clientid: [1, 2, 3],
      topic: [1, 2, 3],
    })
  })
})
