// Property-based tests of topic validation and the topic trie against the MQTT 3.1.1 / 5 rules
// (sections 4.7.1–4.7.3), with a deliberately naive matcher as the oracle.
import { isLiveTopicError } from '@livetopic/core'
import { assertTopicFilter, assertTopicName, parseFilter, topicMatches, TopicTrie } from '@livetopic/core/internal'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

/** The spec, read literally. `hashMatchesParent=false` is AWS IoT Core (`a/#` does not match `a`). */
function naiveMatches(filter: string, topic: string, hashMatchesParent = true): boolean {
  const f = filter.split('/')
  const t = topic.split('/')
  // 4.7.2: a filter starting with a wildcard does not match a topic starting with '$'
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return hashMatchesParent || i < t.length
    if (i >= t.length) return false
    if (f[i] !== '+' && f[i] !== t[i]) return false
  }
  return f.length === t.length
}

function naiveValidFilter(filter: string): boolean {
  if (filter.length === 0 || filter.includes('\u0000')) return false
  const levels = filter.split('/')
  return levels.every((level, i) => (!level.includes('#') || (level === '#' && i === levels.length - 1)) && (!level.includes('+') || level === '+'))
}

// eslint-disable-next-line no-control-regex -- NUL is exactly the character a topic name must not contain
const naiveValidName = (topic: string): boolean => topic.length > 0 && !/[\u0000+#]/.test(topic)

const throwsInvalid = (fn: () => void): boolean => {
  try {
    fn()
    return false
  } catch (error) {
    // anything else than a typed INVALID_TOPIC is a bug
    if (!isLiveTopicError(error, 'INVALID_TOPIC')) throw error
    return true
  }
}

// small alphabets so filters and topics collide often
const topicLevel = fc.constantFrom('a', 'b', 'c', '', 'déjà', '$SYS', '$aws')
const topicArb = fc
  .array(topicLevel, { minLength: 1, maxLength: 5 })
  .map((l) => l.join('/'))
  .filter((t) => t.length > 0)
const filterLevel = fc.constantFrom('a', 'b', '', '+', '$SYS', 'déjà')
const filterArb = fc
  .tuple(fc.array(filterLevel, { minLength: 1, maxLength: 5 }), fc.boolean())
  .map(([levels, hash]) => (hash ? [...levels, '#'] : levels).join('/'))
  .filter((f) => f.length > 0)
  .chain((f) => fc.constantFrom(f, '#', '+/#', f))
const rawString = fc.string({ unit: fc.constantFrom('a', '/', '+', '#', '\u0000', '$', 'é', ' '), maxLength: 12 })

describe('topic validation (fast-check)', () => {
  it('assertTopicFilter accepts exactly the filters the spec allows', () => {
    fc.assert(
      fc.property(rawString, (s) => throwsInvalid(() => assertTopicFilter(s)) === !naiveValidFilter(s)),
      { numRuns: 2000 },
    )
  })

  it('assertTopicName accepts exactly the names the spec allows (no wildcards, no NUL)', () => {
    fc.assert(
      fc.property(rawString, (s) => throwsInvalid(() => assertTopicName(s)) === !naiveValidName(s)),
      { numRuns: 2000 },
    )
  })

  it('every generated filter is valid and every generated topic is a valid name', () => {
    fc.assert(fc.property(filterArb, topicArb, (f, t) => !throwsInvalid(() => assertTopicFilter(f)) && !throwsInvalid(() => assertTopicName(t))))
  })

  it('rejects non-strings and over-long topics with a typed error, never a TypeError', () => {
    for (const bad of [undefined, null, 42, {}] as unknown as string[]) {
      expect(throwsInvalid(() => assertTopicFilter(bad))).toBe(true)
      expect(throwsInvalid(() => assertTopicName(bad))).toBe(true)
      expect(throwsInvalid(() => parseFilter(bad))).toBe(true)
    }
    expect(throwsInvalid(() => assertTopicName('é'.repeat(32768)))).toBe(true) // 65,536 bytes
    expect(throwsInvalid(() => assertTopicName('a'.repeat(65535)))).toBe(false)
  })

  it('parseFilter: named wildcards become plain ones and keep their level index', () => {
    const named = fc
      .array(
        fc.oneof(
          fc.constantFrom('a', 'b', '+'),
          fc.constantFrom('room', 'id_1', 'x-y').map((n) => `+${n}`),
        ),
        { minLength: 1, maxLength: 5 },
      )
      .chain((levels) => fc.constantFrom(levels, [...levels, '#'], [...levels, '#rest']))
    fc.assert(
      fc.property(named, (levels) => {
        const parsed = parseFilter(levels.join('/'))
        expect(parsed.mqtt).toBe(levels.map((l) => (l.startsWith('+') ? '+' : l.startsWith('#') ? '#' : l)).join('/'))
        const expected = new Map(levels.flatMap((l, i) => (l.length > 1 && (l[0] === '+' || l[0] === '#') ? [[i, l.slice(1)] as const] : [])))
        expect(new Map(parsed.names)).toEqual(expected)
      }),
    )
  })

  it('parseFilter rejects bad wildcard names and wildcards inside a level', () => {
    for (const bad of ['a/+1x', 'a/+x y', 'a/#rest/b', 'a/b+', 'a/+room+', '#a/b', 'a/+é'])
      expect(
        throwsInvalid(() => parseFilter(bad)),
        bad,
      ).toBe(true)
  })
})

describe('topicMatches, the one matcher core, tabs and the broker share', () => {
  it.each([true, false])('agrees with the naive matcher (hashMatchesParent=%s)', (hashMatchesParent) => {
    fc.assert(
      fc.property(filterArb, topicArb, (filter, topic) => {
        expect(topicMatches(filter, topic, hashMatchesParent)).toBe(naiveMatches(filter, topic, hashMatchesParent))
      }),
      { numRuns: 2000 },
    )
  })

  it("defaults to AWS IoT Core's rules: `a/#` does not match `a`; `$` topics escape leading wildcards", () => {
    expect(topicMatches('a/#', 'a')).toBe(false)
    expect(topicMatches('a/#', 'a', true)).toBe(true)
    expect(topicMatches('a/#', 'a/b/c')).toBe(true)
    expect(topicMatches('#', '$aws/things/x')).toBe(false)
    expect(topicMatches('+/things/x', '$aws/things/x')).toBe(false)
    expect(topicMatches('$aws/+/x', '$aws/things/x')).toBe(true)
    expect(topicMatches('a/+', 'a/')).toBe(true)
    expect(topicMatches('a/+', 'a')).toBe(false)
  })
})

describe.each([true, false])('TopicTrie against the naive matcher (hashMatchesParent=%s)', (hashMatchesParent) => {
  it('visits exactly the matching filters, once each', () => {
    fc.assert(
      fc.property(fc.uniqueArray(filterArb, { maxLength: 25 }), fc.array(topicArb, { minLength: 1, maxLength: 10 }), (filters, topics) => {
        const trie = new TopicTrie<string>(hashMatchesParent)
        for (const f of filters) trie.set(f, f)
        expect(trie.size).toBe(filters.length)
        for (const topic of topics) {
          const seen: string[] = []
          trie.match(topic, (f) => seen.push(f))
          expect(seen.sort(), topic).toEqual(filters.filter((f) => naiveMatches(f, topic, hashMatchesParent)).sort())
        }
      }),
      { numRuns: 500 },
    )
  })

  it('stays right after deletes (pruning does not cut other filters off)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(filterArb, { minLength: 1, maxLength: 25 }),
        fc.array(fc.nat()),
        fc.array(topicArb, { minLength: 1, maxLength: 10 }),
        (filters, picks, topics) => {
          const trie = new TopicTrie<string>(hashMatchesParent)
          for (const f of filters) trie.set(f, f)
          const removed = new Set(picks.map((p) => filters[p % filters.length]!))
          for (const f of removed) expect(trie.delete(f)).toBe(true)
          for (const f of removed) expect(trie.delete(f)).toBe(false)
          const kept = filters.filter((f) => !removed.has(f))
          expect(trie.size).toBe(kept.length)
          for (const f of kept) expect(trie.get(f)).toBe(f)
          for (const topic of topics) {
            const seen: string[] = []
            trie.match(topic, (f) => seen.push(f))
            expect(seen.sort()).toEqual(kept.filter((f) => naiveMatches(f, topic, hashMatchesParent)).sort())
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('$-topics are never matched by a leading wildcard, but are by an explicit first level', () => {
    const trie = new TopicTrie<string>(hashMatchesParent)
    for (const f of ['#', '+/#', '+/presence/+', '$aws/#', '$aws/+/+']) trie.set(f, f)
    const seen: string[] = []
    trie.match('$aws/presence/c1', (f) => seen.push(f))
    expect(seen.sort()).toEqual(['$aws/#', '$aws/+/+'])
    // but a '$' further down is an ordinary character
    const deeper: string[] = []
    trie.match('x/presence/$c1', (f) => deeper.push(f))
    expect(deeper.sort()).toEqual(['#', '+/#', '+/presence/+'])
  })
})

it('the oracle itself agrees with the spec examples (4.7.1.2, 4.7.1.3, 4.7.2)', () => {
  expect(naiveMatches('sport/tennis/player1/#', 'sport/tennis/player1')).toBe(true)
  expect(naiveMatches('sport/tennis/player1/#', 'sport/tennis/player1/ranking/wimbledon')).toBe(true)
  expect(naiveMatches('sport/#', 'sport')).toBe(true)
  expect(naiveMatches('sport/#', 'sport', false)).toBe(false)
  expect(naiveMatches('sport/tennis/+', 'sport/tennis/player1')).toBe(true)
  expect(naiveMatches('sport/tennis/+', 'sport/tennis/player1/ranking')).toBe(false)
  expect(naiveMatches('sport/+', 'sport')).toBe(false)
  expect(naiveMatches('sport/+', 'sport/')).toBe(true)
  expect(naiveMatches('+/+', '/finance')).toBe(true)
  expect(naiveMatches('/+', '/finance')).toBe(true)
  expect(naiveMatches('+', '/finance')).toBe(false)
  expect(naiveMatches('#', '$SYS/x')).toBe(false)
  expect(naiveMatches('$SYS/#', '$SYS/x')).toBe(true)
})
