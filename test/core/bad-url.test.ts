// A bad broker URL is a typed, redacted error, never a crash, a hang or a printed token (#10).
import { createClient } from '@livetopic/core'
import { redact } from '@livetopic/core/internal'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { useClient } from '../helpers/clients.js'
import { FakeTransport } from '../helpers/fake-transport.js'
import { waitFor } from '../helpers/wait.js'

// Node prints DEP0170 (and other) warnings with the URL in them: collect them instead
const warnings: string[] = []
const onWarning = (warning: Error): void => void warnings.push(`${warning.name} ${warning.message}`)
beforeEach(() => {
  warnings.length = 0
  process.on('warning', onWarning)
})
afterEach(() => void process.off('warning', onWarning))

const SECRET = 'S3CRET-token-value'

describe('a static URL is checked in createClient: INVALID_OPTIONS, redacted', () => {
  it.each([
    ['not a URL', `ws://[::1/mqtt?token=${SECRET}`],
    ['a #fragment', `wss://broker.example/mqtt?token=${SECRET}#frag`],
    ['not ws/wss', `https://broker.example/mqtt?token=${SECRET}`],
    ['an invalid port', `ws://broker.example:99999/mqtt?token=${SECRET}`],
  ])('%s', (_what, url) => {
    let thrown: unknown
    try {
      createClient({ url })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toMatchObject({ name: 'LiveTopicError', code: 'INVALID_OPTIONS' })
    expect(JSON.stringify({ message: (thrown as Error).message, cause: (thrown as Error).cause })).not.toContain(SECRET)
    expect(warnings.join('\n')).not.toContain(SECRET)
  })
})

describe("a provider's bad URL: URL_PROVIDER_FAILED, redacted, retried, close() works", () => {
  it.each([
    ['not a URL', `ws://[::1/mqtt?token=${SECRET}`],
    ['a #fragment', `wss://127.0.0.1:9/mqtt?token=${SECRET}#frag`],
    ['not ws/wss', `http://127.0.0.1:9/mqtt?token=${SECRET}`],
    ['not a string', 42 as unknown as string],
  ])('%s, with the real transport', async (_what, url) => {
    // the default transport (MQTT.js): the URL must never reach it
    const live = useClient({ url: () => url, reconnect: { initialDelay: 20, maxDelay: 40 } })
    live.connect()
    const state = await waitFor(live.status, (s) => s.error !== undefined)
    expect(state).toMatchObject({ status: 'connecting', error: { code: 'URL_PROVIDER_FAILED' } })
    expect(state.error?.message).not.toContain(SECRET)
    await waitFor(live.status, (s) => s.attempt >= 3) // retried with backoff, not stuck
    await expect(live.close()).resolves.toBeUndefined()
    expect(live.status.get().status).toBe('offline')
    expect(warnings.join('\n')).not.toContain(SECRET)
  })
})

describe('redaction', () => {
  it('URL_PROVIDER_FAILED hides the configured password and the Bearer header even before any URL resolved', async () => {
    const fake = new FakeTransport()
    const live = useClient(
      {
        url: () => {
          throw new Error(`login failed for user with pass hunter2-pass and header Bearer ${SECRET} (raw ${SECRET})`)
        },
        username: 'user',
        password: 'hunter2-pass',
        wsHeaders: { Authorization: `Bearer ${SECRET}` },
      },
      fake.factory,
    )
    live.connect()
    const state = await waitFor(live.status, (s) => s.error !== undefined)
    expect(state.error?.code).toBe('URL_PROVIDER_FAILED')
    expect(state.error?.message).not.toContain('hunter2-pass')
    expect(state.error?.message).not.toContain(SECRET)
    expect(state.error?.message).toContain('login failed')
  })

  it('hides secret=, apiKey=, api_key=, sig= and Bearer tokens', () => {
    const text = redact('secret=aaa1 apiKey=bbb2 api_key=ccc3 sig=ddd4 "apiKey": "eee5" Authorization: Bearer fff6.ggg')
    for (const value of ['aaa1', 'bbb2', 'ccc3', 'ddd4', 'eee5', 'fff6']) expect(text).not.toContain(value)
    expect(text).toContain('secret=***')
    expect(text).toContain('Bearer ***')
  })
})
