import { createClient, LiveTopicError, jsonCodec, textCodec } from '@livetopic/core'
import { assertTopicFilter, assertTopicName, backoffDelay, parseFilter, redact, TopicTrie } from '@livetopic/core/internal'
import { describe, expect, expectTypeOf, it } from 'vitest'

describe('topic and filter validation (MQTT spec)', () => {
  const invalidFilters: [string, RegExp][] = [
    ['', /non-empty/],
    ['a/#/b', /"#" must be a whole level and the last/],
    ['a/b#', /"#" must be a whole level/],
    ['a/+b/c', /"\+" must be a whole level/],
    ['a/b+', /"\+" must be a whole level/],
    ['a\u0000b', /NUL/],
    ['x'.repeat(65536), /65535 bytes/],
    ['é'.repeat(32768), /65535 bytes/], // 65,536 bytes in UTF-8
  ]
  it.each(invalidFilters)('refuses filter %#', (filter, message) => {
    expect(() => assertTopicFilter(filter)).toThrow(message)
    try {
      assertTopicFilter(filter)
    } catch (error) {
      expect(error).toBeInstanceOf(LiveTopicError)
      expect((error as LiveTopicError).code).toBe('INVALID_TOPIC')
    }
  })
  it.each(['#', '+', 'a/+/c', 'a/#', '+/+', '/', 'a//b', '$SYS/#', 'x'.repeat(65535)])('accepts filter %#', (filter) => {
    expect(() => assertTopicFilter(filter)).not.toThrow()
  })
  it('refuses wildcards in topic names', () => {
    expect(() => assertTopicName('a/+/b')).toThrow(/wildcard/)
    expect(() => assertTopicName('a/#')).toThrow(/wildcard/)
    expect(() => assertTopicName('a/b')).not.toThrow()
  })
  it('parses named wildcards', () => {
    const parsed = parseFilter('rooms/+room/users/#rest')
    expect(parsed.mqtt).toBe('rooms/+/users/#')
    expect([...parsed.names]).toEqual([
      [1, 'room'],
      [3, 'rest'],
    ])
    expect(() => parseFilter('a/+bad name')).toThrow(LiveTopicError)
    expect(() => parseFilter('a/#rest/b')).toThrow(/last/)
  })
})

describe('TopicTrie', () => {
  const matches = (trie: TopicTrie<string>, topic: string): string[] => {
    const out: string[] = []
    trie.match(topic, (v) => out.push(v))
    return out.sort()
  }
  it('matches levels, + and # as the spec says', () => {
    const trie = new TopicTrie<string>()
    for (const f of ['a/b', 'a/+', 'a/#', '#', '+/b', 'a/b/c', '+/+/+', '$SYS/x', '+/x']) trie.set(f, f)
    expect(matches(trie, 'a/b')).toEqual(['#', '+/b', 'a/#', 'a/+', 'a/b'])
    expect(matches(trie, 'a')).toEqual(['#', 'a/#'])
    expect(matches(trie, 'a/b/c')).toEqual(['#', '+/+/+', 'a/#', 'a/b/c'])
    expect(matches(trie, '$SYS/x')).toEqual(['$SYS/x']) // no leading wildcard on $ topics
    expect(matches(trie, 'a//')).toEqual(['#', '+/+/+', 'a/#'])
  })
  it('follows AWS IoT: a/# does not match a', () => {
    const trie = new TopicTrie<string>(false)
    trie.set('a/#', 'a/#')
    expect(matches(trie, 'a')).toEqual([])
    expect(matches(trie, 'a/b')).toEqual(['a/#'])
  })
  it('deletes and prunes', () => {
    const trie = new TopicTrie<string>()
    trie.set('a/b/c', '1')
    trie.set('a/b', '2')
    expect(trie.size).toBe(2)
    expect(trie.delete('a/b/c')).toBe(true)
    expect(trie.delete('a/b/c')).toBe(false)
    expect(matches(trie, 'a/b/c')).toEqual([])
    expect(matches(trie, 'a/b')).toEqual(['2'])
    expect(trie.size).toBe(1)
  })
})

describe('backoff with full jitter', () => {
  const options = { initialDelay: 100, maxDelay: 1000, factor: 2, stableAfter: 0, maxAttempts: 10, connectTimeout: 1 }
  it('draws below an exponentially growing, capped ceiling', () => {
    expect(backoffDelay(1, options, () => 0.999)).toBe(99)
    expect(backoffDelay(3, options, () => 0.999)).toBe(399)
    expect(backoffDelay(10, options, () => 0.999)).toBe(999)
    expect(backoffDelay(10, options, () => 0)).toBe(0)
  })
})

describe('redact', () => {
  it('hides query strings, user info and token-like pairs', () => {
    const text = redact('failed wss://user:pw@abc.iot.us-east-1.amazonaws.com/mqtt?X-Amz-Signature=abc&tok=1 and password=hunter2', ['zzz-secret'])
    expect(text).toBe('failed wss://abc.iot.us-east-1.amazonaws.com/mqtt?*** and password=***')
    expect(redact('the zzz-secret leaked', ['zzz-secret'])).toBe('the *** leaked')
  })
})

describe('codecs', () => {
  it('JSON refuses invalid UTF-8 and undefined; text refuses invalid UTF-8', () => {
    const bad = new Uint8Array([0x22, 0xff, 0x22])
    expect(() => jsonCodec.decode(bad)).toThrow()
    expect(() => textCodec.decode(bad)).toThrow()
    expect(() => jsonCodec.encode(undefined)).toThrow()
    expect(jsonCodec.decode(new TextEncoder().encode('{"a":1}'))).toEqual({ a: 1 })
  })
})

describe('payload types without a declared topic map', () => {
  it('takes the payload type from the generic', () => {
    const live = createClient({ url: 'ws://127.0.0.1:9/mqtt' })
    expectTypeOf(live.topic<string>('a/b').get().data).toEqualTypeOf<string | undefined>()
    expectTypeOf(live.topic('a/b').get().data).toEqualTypeOf<unknown>()
    live.onMessage<number>('a/b', (m) => expectTypeOf(m.payload).toEqualTypeOf<number>())()
    void live.close()
  })
})
