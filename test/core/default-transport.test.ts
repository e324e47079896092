// The suites run once per transport (LIVETOPIC_TRANSPORT, see vitest.config.ts): check that the
// default really is the one named, by the one thing that tells them apart without a broker.
import { createClient, isLiveTopicError } from '@livetopic/core'
import { describe, expect, it } from 'vitest'

const named = process.env.LIVETOPIC_TRANSPORT ?? 'builtin'

describe(`createClient's default transport is ${named}`, () => {
  it(named === 'builtin' ? 'needs a WebSocket (none here: INVALID_OPTIONS)' : 'is MQTT.js (needs no global WebSocket)', async () => {
    const scope = globalThis as { WebSocket?: unknown }
    const saved = scope.WebSocket
    delete scope.WebSocket
    try {
      let caught: unknown
      try {
        await createClient({ url: 'ws://127.0.0.1:1/mqtt' }).close()
      } catch (error) {
        caught = error
      }
      if (named === 'builtin') expect(isLiveTopicError(caught, 'INVALID_OPTIONS')).toBe(true)
      else expect(caught).toBeUndefined()
    } finally {
      scope.WebSocket = saved
    }
  })
})
