// The suites run once per transport (LIVETOPIC_TRANSPORT, see vitest.config.ts): check that the
// default really is the one named, by the one thing that tells them apart without a broker.
import { createClient } from '@livetopic/core'
import { describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait.js'

const named = process.env.LIVETOPIC_TRANSPORT ?? 'builtin'

describe(`createClient's default transport is ${named}`, () => {
  it(
    named === 'builtin'
      ? 'needs a WebSocket: none here, so createClient still works (SSR) and the first connect fails with INVALID_OPTIONS'
      : 'is MQTT.js (needs no global WebSocket)',
    async () => {
      const scope = globalThis as { WebSocket?: unknown }
      const saved = scope.WebSocket
      delete scope.WebSocket
      try {
        const client = createClient({ url: 'ws://127.0.0.1:1/mqtt', reconnect: { maxDelay: 50 } })
        client.connect()
        if (named === 'builtin') {
          await waitFor(client.status, (s) => s.status === 'failed')
          expect(client.status.get().error?.code).toBe('INVALID_OPTIONS')
          expect(client.status.get().error?.message).toMatch(/no global WebSocket/)
        } else {
          await waitFor(client.status, (s) => s.error !== undefined)
          expect(client.status.get().error?.code).not.toBe('INVALID_OPTIONS')
        }
        await client.close()
      } finally {
        scope.WebSocket = saved
      }
    },
  )
})
