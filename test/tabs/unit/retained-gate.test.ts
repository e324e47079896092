import { describe, expect, it } from 'vitest'
import { RetainedGate } from '../../../packages/core/src/tabs/retained-gate.js'

describe('RetainedGate: a tab keeps the retained messages its own SUBSCRIBE asked for', () => {
  it('keeps one retained message per topic for a fresh filter, live messages always', () => {
    const gate = new RetainedGate()
    expect(gate.admit('a/b', true)).toBe(false) // nobody asked: another tab's SUBSCRIBE brought it
    gate.expect(['a/+'])
    expect(gate.admit('a/b', true)).toBe(true)
    expect(gate.admit('a/b', true)).toBe(false) // a second tab's SUBSCRIBE brings it again
    expect(gate.admit('a/c', true)).toBe(true)
    expect(gate.admit('x', false)).toBe(true)
  })

  it('a live message on a topic ends the window for it: an older retained copy is not shown after it', () => {
    const gate = new RetainedGate()
    gate.expect(['door'])
    expect(gate.admit('door', false)).toBe(true)
    expect(gate.admit('door', true)).toBe(false)
  })

  it('forgets filters that were unsubscribed', () => {
    const gate = new RetainedGate()
    gate.expect(['door'])
    gate.forget(['door'])
    expect(gate.admit('door', true)).toBe(false)
  })

  it("matches with core's matcher: MQTT's rules, the $ rule, and IoT's a/# that does not match a", () => {
    const admitted = (filter: string, topic: string, hashMatchesParent = true): boolean => {
      const gate = new RetainedGate(hashMatchesParent)
      gate.expect([filter])
      return gate.admit(topic, true)
    }
    expect(admitted('a/+/c', 'a/b/c')).toBe(true)
    expect(admitted('a/#', 'a/b/c')).toBe(true)
    expect(admitted('a/+', 'a/b/c')).toBe(false)
    expect(admitted('a/b', 'a/b/c')).toBe(false)
    expect(admitted('a/b/c', 'a/b')).toBe(false)
    expect(admitted('#', '$aws/things/x/shadow/update')).toBe(false)
    expect(admitted('+/things/x/shadow/update', '$aws/things/x/shadow/update')).toBe(false)
    expect(admitted('$aws/things/+/shadow/#', '$aws/things/x/shadow/update')).toBe(true)
    expect(admitted('a/#', 'a')).toBe(true)
    expect(admitted('a/#', 'a', false)).toBe(false) // AWS IoT Core
  })
})
