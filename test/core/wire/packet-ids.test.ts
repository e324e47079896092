import { describe, expect, it } from 'vitest'
import { packetIds } from '../../../packages/core/src/wire/packet-ids.js'

describe('packet ids', () => {
  it('run 1…65535, wrap to 1, and skip ids still in use', () => {
    const busy = new Set([2, 65535])
    const next = packetIds((id) => busy.has(id))
    expect([next(), next()]).toEqual([1, 3])
    let last = 0
    for (let i = 0; i < 65531; i++) last = next()
    expect(last).toBe(65534)
    expect(next()).toBe(1)
  })

  it('say so when all are in use, instead of looping', () => {
    const next = packetIds(() => true)
    expect(() => next()).toThrow(/in use/)
  })
})
