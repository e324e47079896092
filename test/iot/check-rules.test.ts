import { checkRules, iotFilterMatches, MAX_FILTERS_PER_SUBSCRIBE, topicLimitError } from '@livetopic/iot'
import { describe, expect, it } from 'vitest'

describe('@livetopic/iot', () => {
  it('checks republish, Lambda and in-process rules alike, naming the rule that fails', () => {
    const checked = checkRules([
      { name: 'echo', sql: "SELECT * FROM 'a/+'", republish: 'b/${topic(2)}' },
      { name: 'presence', sql: "SELECT * FROM '$aws/events/presence/+/+'", lambda: { entry: '/srv/presence.ts', retains: ['presence/roster'] } },
      { sql: "SELECT text FROM 'c'", action: () => undefined },
    ])
    expect(checked.map((r) => [r.label, r.from])).toEqual([
      ['echo', 'a/+'],
      ['presence', '$aws/events/presence/+/+'],
      ['rule 3', 'c'],
    ])
    expect(checked[0]!.republish).toEqual({ topic: 'b/${topic(2)}' })
    expect(checked[1]!.lambda?.retains).toEqual(['presence/roster'])
    expect(checked[2]!.inProcess).toBe(true)
    expect(() => checkRules([{ name: 'bad', sql: "SELECT * FROM 'a'", lambda: { entry: '' } }])).toThrow(/^bad \(SELECT/)
    expect(() => checkRules([{ sql: "SELECT nope( FROM 'a'", republish: 'b' }])).toThrow(/^rule 1/)
    expect(() => checkRules([{ sql: "SELECT * FROM 'a'", republish: 'b/${nosuch(1)}' }])).toThrow(/nosuch/)
  })

  it("holds IoT's figures and topic rules once, for every package", () => {
    expect(MAX_FILTERS_PER_SUBSCRIBE).toBe(8)
    expect(topicLimitError('a/b/c/d/e/f/g/h')).toBeUndefined()
    expect(topicLimitError('a/b/c/d/e/f/g/h/i')).toMatch(/slashes/)
    expect(topicLimitError('é'.repeat(129))).toMatch(/256 bytes/)
    expect(iotFilterMatches('a/#', 'a')).toBe(false)
    expect(iotFilterMatches('+/x', '$aws/x')).toBe(false)
  })
})
