import type { IncomingMessage } from 'node:http'
import { createClient, isLiveTopicError, type LiveTopicClient } from '@livetopic/core'
import { iotCustomAuthorizer, iotCustomAuthorizerUsername } from '@livetopic/core/aws'
import { afterEach, describe, expect, it } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { waitFor } from '../helpers/wait.js'

const clients: LiveTopicClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
})

// base64 with the characters a query string must not carry raw
const SIGNATURE = 'ab+c/d=='

describe('iotCustomAuthorizer', () => {
  it('builds the documented wss URL: authorizer name, token under its key, URL-encoded signature', async () => {
    const url = iotCustomAuthorizer({
      endpoint: 'abc123-ats.iot.us-east-1.amazonaws.com',
      authorizerName: 'PublicAuthorizer',
      tokenKeyName: 'tok',
      token: 'eyJhbGciOi.payload.sig',
      tokenSignature: SIGNATURE,
    })
    expect(await url()).toBe(
      'wss://abc123-ats.iot.us-east-1.amazonaws.com/mqtt?x-amz-customauthorizer-name=PublicAuthorizer' +
        '&tok=eyJhbGciOi.payload.sig&x-amz-customauthorizer-signature=ab%2Bc%2Fd%3D%3D',
    )
  })

  it('without a token sends only the authorizer name; tokenKeyName defaults to "token"', async () => {
    const bare = iotCustomAuthorizer({ endpoint: 'h.example', authorizerName: 'Auth' })
    expect(await bare()).toBe('wss://h.example/mqtt?x-amz-customauthorizer-name=Auth')
    const unsigned = iotCustomAuthorizer({ endpoint: 'h.example', authorizerName: 'Auth', token: 'a b&c' })
    expect(await unsigned()).toBe('wss://h.example/mqtt?x-amz-customauthorizer-name=Auth&token=a%20b%26c')
  })

  it('does not encode an already URL-encoded signature twice', async () => {
    const url = iotCustomAuthorizer({ endpoint: 'h.example', authorizerName: 'A', token: 't', tokenSignature: 'ab%2Bc%3D' })
    expect(new URL(await url()).search).toContain('x-amz-customauthorizer-signature=ab%2Bc%3D')
    expect(new URL(await url()).searchParams.get('x-amz-customauthorizer-signature')).toBe('ab+c=')
  })

  it('calls token and signature functions afresh on every call; the signature function gets the token', async () => {
    let n = 0
    const signed: string[] = []
    const url = iotCustomAuthorizer({
      endpoint: 'h.example',
      authorizerName: 'A',
      token: () => Promise.resolve(`token-${++n}`),
      tokenSignature: (token) => {
        signed.push(token)
        return `sig-of-${token}`
      },
    })
    const first = new URL(await url()).searchParams
    const second = new URL(await url()).searchParams
    expect([first.get('token'), second.get('token')]).toEqual(['token-1', 'token-2'])
    expect(second.get('x-amz-customauthorizer-signature')).toBe('sig-of-token-2')
    expect(signed).toEqual(['token-1', 'token-2'])
  })

  it('takes a full ws:// URL for the local stand-in, keeping host, port, path and query', async () => {
    const url = iotCustomAuthorizer({ endpoint: 'ws://127.0.0.1:8080/mqtt?debug=1', authorizerName: 'Local', token: 't' })
    expect(await url()).toBe('ws://127.0.0.1:8080/mqtt?debug=1&x-amz-customauthorizer-name=Local&token=t')
    const custom = iotCustomAuthorizer({ endpoint: 'ws://127.0.0.1:8080', authorizerName: 'Local', path: '/iot' })
    expect(await custom()).toBe('ws://127.0.0.1:8080/iot?x-amz-customauthorizer-name=Local')
  })

  it('rejects bad options with INVALID_OPTIONS', () => {
    const bad = [
      () => iotCustomAuthorizer({ endpoint: '', authorizerName: 'A' }),
      () => iotCustomAuthorizer({ endpoint: 'https://h.example', authorizerName: 'A' }),
      () => iotCustomAuthorizer({ endpoint: 'h.example', authorizerName: '' }),
      () => iotCustomAuthorizer({ endpoint: 'h.example', authorizerName: 'A', tokenSignature: 's' }),
    ]
    for (const make of bad) expect(() => make()).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
  })

  it('is used on every connect: a reconnect carries a fresh token to the broker', async () => {
    const broker = await useBroker()
    const upgrades: string[] = []
    broker.httpServer.prependListener('upgrade', (req: IncomingMessage) => upgrades.push(req.url ?? ''))
    const connections: { close(): void }[] = []
    broker.aedes.on('client', (client) => connections.push(client))
    let n = 0
    const live = createClient({
      url: iotCustomAuthorizer({ endpoint: broker.url, authorizerName: 'Local', tokenKeyName: 'session', token: () => `s${++n}` }),
      reconnect: { initialDelay: 10, maxDelay: 50 },
    })
    clients.push(live)
    live.connect()
    await waitFor(live.status, (s) => s.status === 'connected')
    // the broker drops the client: the next attempt must ask for a new token
    for (const connection of connections) connection.close()
    await waitFor(live.status, (s) => s.status === 'reconnecting')
    await waitFor(live.status, (s) => s.status === 'connected')
    expect(upgrades).toEqual(['/mqtt?x-amz-customauthorizer-name=Local&session=s1', '/mqtt?x-amz-customauthorizer-name=Local&session=s2'])
  })

  it('a failing token provider becomes URL_PROVIDER_FAILED without the secret in the message', async () => {
    const live = createClient({
      url: iotCustomAuthorizer({ endpoint: 'ws://127.0.0.1:9/mqtt', authorizerName: 'A', token: () => Promise.reject(new Error('token=hunter2 expired')) }),
      reconnect: { initialDelay: 1000, maxAttempts: 1 },
    })
    clients.push(live)
    live.connect()
    const state = await waitFor(live.status, (s) => s.error !== undefined)
    expect(isLiveTopicError(state.error, 'URL_PROVIDER_FAILED')).toBe(true)
    expect(state.error?.message).not.toContain('hunter2')
  })
})

describe('iotCustomAuthorizerUsername', () => {
  it('builds the username form AWS SDKs send, keeping the username and its own query', async () => {
    const username = iotCustomAuthorizerUsername({
      username: 'alice?tenant=7',
      authorizerName: 'Auth',
      tokenKeyName: 'tok',
      token: () => 'T',
      tokenSignature: SIGNATURE,
    })
    expect(await username()).toBe('alice?tenant=7&x-amz-customauthorizer-name=Auth&tok=T&x-amz-customauthorizer-signature=ab%2Bc%2Fd%3D%3D')
    expect(await iotCustomAuthorizerUsername({ authorizerName: 'Auth' })()).toBe('?x-amz-customauthorizer-name=Auth')
    expect(await iotCustomAuthorizerUsername({ username: 'plain' })()).toBe('plain')
  })

  it('reaches the broker as the MQTT CONNECT username', async () => {
    const broker = await useBroker()
    const seen: string[] = []
    const authenticate = broker.aedes.authenticate
    broker.aedes.authenticate = (client, username, password, done) => {
      seen.push(username ?? '')
      authenticate.call(broker.aedes, client, username, password, done)
    }
    const live = createClient({ url: broker.url, username: iotCustomAuthorizerUsername({ authorizerName: 'Auth', token: 'T' }) })
    clients.push(live)
    live.connect()
    await waitFor(live.status, (s) => s.status === 'connected')
    expect(seen).toEqual(['?x-amz-customauthorizer-name=Auth&token=T'])
  })
})
