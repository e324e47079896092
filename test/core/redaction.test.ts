// Secrets from URL and token providers never show, wherever a failure surfaces: the LiveTopicError
// (message and cause), `client.status` and `onEvent` debug events (#22). Malformed URLs too: all
// after `?` or `#` is hidden when a URL does not parse.
import { startBroker, type RunningBroker } from '@livetopic/broker'
import type { LiveTopicEvent, LiveTopicClient } from '@livetopic/core'
import { iotCustomAuthorizer } from '@livetopic/core/aws'
import { redact } from '@livetopic/core/internal'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useClient } from '../helpers/clients.js'
import { waitFor } from '../helpers/wait.js'

const SECRET = 'S3CRET-value-42'

/** Every string a value holds, errors' messages and causes included (they are not enumerable). */
function dump(value: unknown, seen = new Set<unknown>()): string {
  if (value === null || typeof value !== 'object') return String(value)
  if (seen.has(value)) return ''
  seen.add(value)
  const parts = Object.entries(value).map(([k, v]) => `${k}=${dump(v, seen)}`)
  if (value instanceof Error) parts.push(value.name, value.message, dump(value.cause, seen), value.stack ?? '')
  return parts.join(' ')
}

let broker: RunningBroker
beforeAll(async () => {
  broker = await startBroker({ logger: 'silent', dashboard: false })
})
afterAll(async () => {
  await broker?.close()
})

/** Connects with `url`, waits for two failed attempts, returns the three surfaces as text. */
async function surfaces(url: () => string | Promise<string>): Promise<{ error: string; status: string; events: string }> {
  const events: LiveTopicEvent[] = []
  const statuses: unknown[] = []
  const client: LiveTopicClient = useClient({ url, onEvent: (e) => void events.push(e), reconnect: { initialDelay: 10, maxDelay: 20 } })
  client.status.subscribe((s) => void statuses.push(s))
  client.connect()
  const state = await waitFor(client.status, (s) => s.error !== undefined && s.attempt >= 2)
  expect(state.error).toMatchObject({ name: 'LiveTopicError', code: 'URL_PROVIDER_FAILED' })
  expect(events.some((e) => e.type === 'url-failed')).toBe(true)
  return { error: dump(state.error), status: dump(statuses), events: dump(events) }
}

const thrower = (message: string) => (): Promise<string> => Promise.reject(new Error(message))

describe('provider failures are redacted in errors, status and onEvent', () => {
  const cases: [string, () => () => string | Promise<string>][] = [
    ['a provider error quoting a malformed URL', () => thrower(`the url ws://bad host/mqtt?jwt=${SECRET} is not a valid URL`)],
    ['a provider URL that does not parse (space in the host)', () => () => `wss://my broker/mqtt?auth=${SECRET}`],
    ['a malformed URL from a provider', () => () => `ws://bad host/mqtt?jwt=${SECRET}`],
    ['a token provider error', () => thrower(`refresh failed for session=${SECRET}`)],
    ['a URL with # before the query (real broker address)', () => () => `${broker.url}#frag?jwt=${SECRET}`],
    ['an error quoting a URL with # before the query', () => thrower(`cannot reach ${broker.url}#x?auth=${SECRET}`)],
    [
      "a custom authorizer's token function that throws",
      () => iotCustomAuthorizer({ endpoint: broker.url, authorizerName: 'a', token: thrower(`refresh failed for session=${SECRET}`) }),
    ],
    [
      'a token provider error naming the configured token key',
      () => iotCustomAuthorizer({ endpoint: broker.url, authorizerName: 'a', tokenKeyName: 'sesame', token: thrower(`no sesame=${SECRET}`) }),
    ],
  ]
  it.each(cases)('%s', async (_what, make) => {
    const { error, status, events } = await surfaces(make())
    expect(error).not.toContain(SECRET)
    expect(status).not.toContain(SECRET)
    expect(events).not.toContain(SECRET)
    expect(error).toContain('***') // the message still says what failed, with the secret hidden
  })
})

describe('redact', () => {
  it.each([
    ['jwt'],
    ['auth'],
    ['session'],
    ['access_token'],
    ['id_token'],
    ['token'],
    ['signature'],
    ['password'],
    ['X-Amz-Security-Token'],
    ['X-Amz-Signature'],
    ['X-Amz-Credential'],
    ['x-amz-customauthorizer-signature'],
  ])('hides the value of %s in free text and JSON', (key) => {
    expect(redact(`failed: ${key}=${SECRET}; more`)).toBe(`failed: ${key}=***; more`)
    expect(redact(`{"${key}": "${SECRET}"}`)).not.toContain(SECRET)
  })

  it('hides all after ? or # of a URL, parsed or not, and keeps the rest of the message', () => {
    expect(redact(`the url ws://bad host/mqtt?jwt=${SECRET} is not a valid URL`)).toBe('the url ws://bad host/mqtt?*** is not a valid URL')
    expect(redact(`wss://h.example/mqtt#a?x=${SECRET}`)).toBe('wss://h.example/mqtt#***')
    expect(redact(`wss://u:${SECRET}@h.example/mqtt`)).toBe('wss://h.example/mqtt')
  })

  it('leaves topics, filters and plain words alone', () => {
    const plain = 'filter "a/#" refused; a/+/b and $aws/things/x/shadow/# ok; packet #3; what? sessionExpiryInterval: 60'
    expect(redact(plain)).toBe(plain)
  })
})
