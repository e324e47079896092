import { describe, expect, it } from 'vitest'
import { matches, RetainedGate } from '../../../packages/core/src/tabs/retained-gate.js'

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

  it('matches as MQTT does', () => {
    expect(matches('a/+/c', 'a/b/c')).toBe(true)
    expect(matches('a/#', 'a/b/c')).toBe(true)
    expect(matches('a/+', 'a/b/c')).toBe(false)
    expect(matches('a/b', 'a/b/c')).toBe(false)
    expect(matches('a/b/c', 'a/b')).toBe(false)
  })
})
