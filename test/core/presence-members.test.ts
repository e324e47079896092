// Pure parts of presence: grouping connections into members, and checking a member's state.
import { LiveTopicError } from '@livetopic/core'
import { DEFAULT_MAX_STATE_BYTES, MAX_STATE_BYTES } from '@livetopic/core/presence'
import { MAX_PAYLOAD_BYTES } from '@livetopic/iot'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { groupMembers } from '../../packages/core/src/presence/group.js'
import { checkMaxStateBytes, checkMemberState } from '../../packages/core/src/presence/member-state.js'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('groupMembers', () => {
  const user = (clientId: string): string => clientId.split('_')[0]!

  it('one member per user, with the newest state of its connections, ordered by first connection', () => {
    const { members, me } = groupMembers<{ s: number }>(
      [
        { clientId: 'bob_phone', connectedAt: 20, state: { s: 1 }, updatedAt: 30 },
        { clientId: 'ann_tab', connectedAt: 10, state: { s: 2 }, updatedAt: 11 },
        { clientId: 'bob_laptop', connectedAt: 25, state: { s: 3 }, updatedAt: 40 },
      ],
      'ann_tab',
      { state: { s: 9 }, updatedAt: 50 },
      user,
    )
    expect(members).toEqual([
      { id: 'ann', clientIds: ['ann_tab'], state: { s: 9 }, connectedAt: 10, isMe: true },
      { id: 'bob', clientIds: ['bob_phone', 'bob_laptop'], state: { s: 3 }, connectedAt: 20, isMe: false },
    ])
    expect(me).toBe(members[0])
  })

  it('lists this client before the broker echoes it, and one entry per connection without `member`', () => {
    const { members, me } = groupMembers([{ clientId: 'x', connectedAt: 1 }], 'me', { state: null, updatedAt: 5 }, undefined)
    expect(members.map((m) => [m.id, m.isMe, m.state])).toEqual([
      ['x', false, undefined],
      ['me', true, null],
    ])
    expect(me?.id).toBe('me')
  })

  it('a throwing `member` is reported once per client id and that connection stands alone', () => {
    const report = vi.spyOn(console, 'error').mockImplementation(() => {})
    const member = (clientId: string): string => {
      if (clientId === 'bad') throw new Error('member exploded')
      return 'group'
    }
    for (let i = 0; i < 3; i++) {
      const { members } = groupMembers([{ clientId: 'a' }, { clientId: 'bad' }, { clientId: 'b' }], 'a', { state: 1, updatedAt: 1 }, member)
      expect(members.map((m) => [m.id, m.clientIds])).toEqual([
        ['bad', ['bad']],
        ['group', ['a', 'b']],
      ])
    }
    expect(report).toHaveBeenCalledTimes(1)
    expect(String(report.mock.calls[0]?.[0])).toContain('member exploded')
  })
})

describe('member state', () => {
  it('is JSON within the cap: a larger one is PAYLOAD_TOO_LARGE, a non-JSON one ENCODE_FAILED', () => {
    expect(checkMemberState({ status: 'typing' }, 100)).toEqual({ status: 'typing' })
    // what travels is what JSON keeps: `me` shows what the others read
    expect(checkMemberState({ at: new Date(0), gone: undefined }, 100)).toEqual({ at: '1970-01-01T00:00:00.000Z' })
    const tooLarge = (): unknown => checkMemberState({ text: 'é'.repeat(60) }, 100)
    expect(tooLarge).toThrow(LiveTopicError)
    expect(tooLarge).toThrow(/131 bytes of JSON, over maxStateBytes \(100\)/)
    expect(() => checkMemberState(10n, 100)).toThrow(expect.objectContaining({ code: 'ENCODE_FAILED' }))
    expect(() => checkMemberState(() => 1, 100)).toThrow(expect.objectContaining({ code: 'ENCODE_FAILED' }))
  })

  it('caps default to 1 KB and stay within IoT Core’s payload limit', () => {
    expect(checkMaxStateBytes(undefined)).toBe(DEFAULT_MAX_STATE_BYTES)
    expect(DEFAULT_MAX_STATE_BYTES).toBe(1024)
    expect(MAX_STATE_BYTES).toBeLessThan(MAX_PAYLOAD_BYTES)
    expect(checkMaxStateBytes(MAX_STATE_BYTES)).toBe(MAX_STATE_BYTES)
    for (const bad of [0, 1.5, MAX_STATE_BYTES + 1, Number.NaN])
      expect(() => checkMaxStateBytes(bad)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
  })
})
