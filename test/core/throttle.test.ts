import { throttled } from '@livetopic/core/internal'
import { atom } from 'nanostores'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('throttled (core, used by every adapter)', () => {
  it('passes the first change at once, then at most one per window, ending on the latest', () => {
    const source = atom(0)
    const slow = throttled(source, 100)
    const seen: number[] = []
    const off = slow.listen((v) => seen.push(v))
    for (let i = 1; i <= 10; i++) source.set(i)
    expect(seen).toEqual([1])
    vi.advanceTimersByTime(100)
    expect(seen).toEqual([1, 10])
    vi.advanceTimersByTime(100)
    source.set(11)
    expect(seen).toEqual([1, 10, 11])
    off()
  })

  it("'frame' delivers on the next animation frame", () => {
    const frames: FrameRequestCallback[] = []
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb))
    vi.stubGlobal('cancelAnimationFrame', () => {})
    try {
      const source = atom('a')
      const seen: string[] = []
      const off = throttled(source, 'frame').listen((v) => seen.push(v))
      source.set('b')
      source.set('c')
      source.set('d')
      expect(seen).toEqual(['b'])
      frames.shift()?.(0)
      expect(seen).toEqual(['b', 'd'])
      off()
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it("'frame' falls back to a 16 ms timer without requestAnimationFrame", () => {
    vi.stubGlobal('requestAnimationFrame', undefined)
    const source = atom('a')
    const framed = throttled(source, 'frame')
    const seen: string[] = []
    const off = framed.listen((v) => seen.push(v))
    source.set('b')
    source.set('c')
    source.set('d')
    vi.advanceTimersByTime(15)
    expect(seen).toEqual(['b'])
    vi.advanceTimersByTime(1)
    expect(seen).toEqual(['b', 'd'])
    off()
    vi.unstubAllGlobals()
  })

  it('gives the same store for the same source and throttle, and the source itself without one', () => {
    const source = atom(0)
    expect(throttled(source, 50)).toBe(throttled(source, 50))
    expect(throttled(source, 50)).not.toBe(throttled(source, 'frame'))
    expect(throttled(source)).toBe(source)
    expect(() => throttled(source, -1)).toThrow(/throttle/)
  })

  it('lets go of the source when its last listener leaves', () => {
    const source = atom(0)
    const slow = throttled(source, 100)
    const off = slow.listen(() => {})
    expect(source.lc).toBe(1)
    off()
    expect(source.lc).toBe(0)
    source.set(5)
    expect(slow.get()).toBe(5)
  })
})
