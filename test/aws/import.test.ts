import net from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'

afterEach(() => {
  vi.restoreAllMocks()
  for (const name of ['window', 'document', 'WebSocket']) delete (globalThis as Record<string, unknown>)[name]
})

describe('@livetopic/core/aws import', () => {
  it('opens no socket and touches no window/document/WebSocket, even when building providers', async () => {
    const touched: string[] = []
    for (const name of ['window', 'document', 'WebSocket']) Object.defineProperty(globalThis, name, { configurable: true, get: () => void touched.push(name) })
    const connect = vi.spyOn(net.Socket.prototype, 'connect')
    vi.resetModules()
    const aws = await import('@livetopic/core/aws')
    // building URL providers and profiles is pure as well
    aws.iotCustomAuthorizer({ endpoint: 'h.example', authorizerName: 'A', token: () => 't' })
    aws.iotSigV4({ endpoint: 'h.example', region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
    aws.createAwsIotProfile({ maxPayloadBytes: 1 })
    expect(touched).toEqual([])
    expect(connect).not.toHaveBeenCalled()
    expect(Object.keys(aws).sort()).toEqual([
      'PRESENCE_FILTER',
      'awsIotProfile',
      'createAwsIotProfile',
      'iotCustomAuthorizer',
      'iotCustomAuthorizerUsername',
      'iotSigV4',
      'isPublishableReservedTopic',
      'isSubscribableReservedFilter',
      'presence',
    ])
  })

  it('imports no AWS SDK package, statically or dynamically: SigV4 signs with WebCrypto', async () => {
    const { readFileSync, readdirSync } = await import('node:fs')
    const dir = new URL('../../packages/core/src/aws/', import.meta.url)
    // (aws/server/, for server code, is the one place that may: readRetained uses the Data Plane client)
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(new URL(file, dir), 'utf8')
      expect(source, file).not.toMatch(/['"]@(smithy|aws-crypto|aws-sdk)\//)
    }
  })

  it('@livetopic/core/aws/server opens no socket and touches no window/document/WebSocket on import', async () => {
    const touched: string[] = []
    for (const name of ['window', 'document', 'WebSocket']) Object.defineProperty(globalThis, name, { configurable: true, get: () => void touched.push(name) })
    const connect = vi.spyOn(net.Socket.prototype, 'connect')
    vi.resetModules()
    const server = await import('@livetopic/core/aws/server')
    expect(Object.keys(server)).toEqual(['readRetained'])
    expect(touched).toEqual([])
    expect(connect).not.toHaveBeenCalled()
  })

  it('@livetopic/core/aws/authorizer exports jwtAuthorizer only and opens no socket on import or when built', async () => {
    const connect = vi.spyOn(net.Socket.prototype, 'connect')
    vi.resetModules()
    const authorizer = await import('@livetopic/core/aws/authorizer')
    expect(Object.keys(authorizer)).toEqual(['jwtAuthorizer'])
    // the JWKS is fetched on the first verification, not when the handler is made
    authorizer.jwtAuthorizer({ issuer: 'https://issuer.example', audience: 'a', policy: () => null })
    expect(connect).not.toHaveBeenCalled()
  })
})
