import { createHash, createHmac } from 'node:crypto'
import { createClient, type LiveTopicClient } from '@livetopic/core'
import { iotSigV4, type AwsCredentials } from '@livetopic/core/aws'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { waitFor } from '../helpers/wait.js'

const ENDPOINT = 'abc123-ats.iot.eu-west-1.amazonaws.com'
const CREDS: AwsCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2Vj/+token==',
}

const clients: LiveTopicClient[] = []
afterEach(async () => {
  vi.useRealTimers()
  await Promise.all(clients.splice(0).map((c) => c.close()))
})

// SigV4 from the spec, with node:crypto only: canonical request → string to sign → signing key → HMAC.
function expectedSignature(url: URL, secret: string, region: string, service: string): string {
  const rfc3986 = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  const signed = [...url.searchParams].filter(([k]) => k !== 'X-Amz-Signature' && k !== 'X-Amz-Security-Token')
  const canonicalQuery = signed
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .sort()
    .join('&')
  const sha = (s: string): string => createHash('sha256').update(s).digest('hex')
  const canonicalRequest = ['GET', url.pathname, canonicalQuery, `host:${url.host}`, '', 'host', sha('')].join('\n')
  const amzDate = url.searchParams.get('X-Amz-Date')!
  const scope = `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha(canonicalRequest)].join('\n')
  const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest()
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, amzDate.slice(0, 8)), region), service), 'aws4_request')
  return createHmac('sha256', key).update(stringToSign).digest('hex')
}

describe('iotSigV4', () => {
  it('presigns wss://<endpoint>/mqtt; the signature matches an independent SigV4 computation', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-11-25T22:03:14.567Z'))
    const raw = await iotSigV4({ endpoint: ENDPOINT, region: 'eu-west-1', credentials: CREDS })()
    const url = new URL(raw)
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe(`wss://${ENDPOINT}/mqtt`)
    expect([...url.searchParams.keys()]).toEqual([
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-SignedHeaders',
      'X-Amz-Signature',
      'X-Amz-Security-Token',
    ])
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256')
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20261125/eu-west-1/iotdevicegateway/aws4_request')
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261125T220314Z')
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host')
    expect(url.searchParams.get('X-Amz-Signature')).toBe(expectedSignature(url, CREDS.secretAccessKey, 'eu-west-1', 'iotdevicegateway'))
    // the session token is appended after signing, URL-encoded, and is not part of what was signed
    expect(raw.endsWith(`&X-Amz-Security-Token=${encodeURIComponent(CREDS.sessionToken!)}`)).toBe(true)
    expect(raw.indexOf('X-Amz-Signature=')).toBeLessThan(raw.indexOf('X-Amz-Security-Token='))
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe(CREDS.sessionToken)
  })

  it('omits X-Amz-Security-Token for long-term keys and honours a custom service', async () => {
    const raw = await iotSigV4({
      endpoint: ENDPOINT,
      region: 'eu-west-1',
      service: 'iotdata',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    })()
    const url = new URL(raw)
    expect(url.searchParams.has('X-Amz-Security-Token')).toBe(false)
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKID\/\d{8}\/eu-west-1\/iotdata\/aws4_request$/)
    expect(url.searchParams.get('X-Amz-Signature')).toBe(expectedSignature(url, 'secret', 'eu-west-1', 'iotdata'))
  })

  it('asks the credential provider and signs again on every call (fresh date, fresh credentials)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-11-25T10:00:00Z'))
    let calls = 0
    const provider = (): Promise<AwsCredentials> => Promise.resolve({ ...CREDS, sessionToken: `session-${++calls}` })
    const sign = iotSigV4({ endpoint: ENDPOINT, region: 'eu-west-1', credentials: provider })
    const first = new URL(await sign())
    vi.setSystemTime(new Date('2026-11-25T10:05:00Z'))
    const second = new URL(await sign())
    expect(calls).toBe(2)
    expect(first.searchParams.get('X-Amz-Date')).toBe('20261125T100000Z')
    expect(second.searchParams.get('X-Amz-Date')).toBe('20261125T100500Z')
    expect(second.searchParams.get('X-Amz-Security-Token')).toBe('session-2')
    expect(first.searchParams.get('X-Amz-Signature')).not.toBe(second.searchParams.get('X-Amz-Signature'))
    expect(second.searchParams.get('X-Amz-Signature')).toBe(expectedSignature(second, CREDS.secretAccessKey, 'eu-west-1', 'iotdevicegateway'))
  })

  it('signs host with its port for a ws:// stand-in and connects through it', async () => {
    const broker = await useBroker()
    const upgrades: string[] = []
    broker.httpServer.prependListener('upgrade', (req) => upgrades.push(req.url ?? ''))
    const live = createClient({ url: iotSigV4({ endpoint: broker.url, region: 'us-east-1', credentials: CREDS }) })
    clients.push(live)
    live.connect()
    await waitFor(live.status, (s) => s.status === 'connected')
    const url = new URL(upgrades[0]!, `ws://${broker.host}:${broker.port}`)
    expect(url.pathname).toBe('/mqtt')
    expect(url.searchParams.get('X-Amz-Signature')).toBe(expectedSignature(url, CREDS.secretAccessKey, 'us-east-1', 'iotdevicegateway'))
  })

  it('rejects missing region or credentials with INVALID_OPTIONS, and a provider without keys on use', async () => {
    expect(() => iotSigV4({ endpoint: ENDPOINT, region: '', credentials: CREDS })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
    // @ts-expect-error credentials are required
    expect(() => iotSigV4({ endpoint: ENDPOINT, region: 'us-east-1' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
    const sign = iotSigV4({ endpoint: ENDPOINT, region: 'us-east-1', credentials: () => Promise.resolve({ accessKeyId: '', secretAccessKey: '' }) })
    await expect(sign()).rejects.toMatchObject({ code: 'URL_PROVIDER_FAILED' })
  })
})
