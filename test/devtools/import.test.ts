import net from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'

afterEach(() => {
  vi.restoreAllMocks()
  for (const name of ['window', 'document', 'WebSocket', 'customElements', 'HTMLElement']) delete (globalThis as Record<string, unknown>)[name]
})

describe('@livetopic/devtools import', () => {
  it('opens no socket and touches no window/document/WebSocket/customElements on import', async () => {
    const touched: string[] = []
    for (const name of ['window', 'document', 'WebSocket', 'customElements', 'HTMLElement'])
      Object.defineProperty(globalThis, name, { configurable: true, get: () => void touched.push(name) })
    const connect = vi.spyOn(net.Socket.prototype, 'connect')
    vi.resetModules()
    const devtools = await import('@livetopic/devtools')
    expect(Object.keys(devtools)).toEqual(['mountDevtools'])
    expect(touched).toEqual([])
    expect(connect).not.toHaveBeenCalled()
  })

  it('mountDevtools does nothing outside a browser, and nothing in a production build', async () => {
    const { createClient } = await import('@livetopic/core')
    const { mountDevtools } = await import('@livetopic/devtools')
    const client = createClient({ url: 'ws://127.0.0.1:9/mqtt' })
    const connect = vi.spyOn(net.Socket.prototype, 'connect')
    // no document (Node, SSR): a no-op
    expect(() => mountDevtools(client)()).not.toThrow()
    // NODE_ENV=production: returns before looking for a document
    const touched: string[] = []
    Object.defineProperty(globalThis, 'document', { configurable: true, get: () => void touched.push('document') })
    vi.stubEnv('NODE_ENV', 'production')
    try {
      mountDevtools(client)()
      expect(touched).toEqual([])
      mountDevtools(client, { inProduction: true })()
      expect(touched).toEqual(['document'])
    } finally {
      vi.unstubAllEnvs()
    }
    expect(connect).not.toHaveBeenCalled()
    await client.close()
  })
})
