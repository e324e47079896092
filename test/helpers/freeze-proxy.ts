import { createServer, connect, type AddressInfo, type Socket } from 'node:net'
import { afterEach } from 'vitest'

/** A TCP proxy on 127.0.0.1 that can go silent without closing anything (a dead NAT, a pulled cable). */
export interface FreezeProxy {
  readonly port: number
  /** Connections accepted so far. */
  readonly connections: number
  /** Stops forwarding in both directions; sockets stay open, no FIN, no RST. */
  freeze(): void
  /** Forwards again (new connections included). */
  thaw(): void
  close(): Promise<void>
}

const open = new Set<FreezeProxy>()

/** Starts a proxy to `targetPort` on 127.0.0.1; closed after each test. */
export async function startFreezeProxy(targetPort: number): Promise<FreezeProxy> {
  let frozen = false
  let connections = 0
  const sockets = new Set<Socket>()
  const server = createServer((inbound) => {
    connections++
    const outbound = connect(targetPort, '127.0.0.1')
    for (const [from, to] of [
      [inbound, outbound],
      [outbound, inbound],
    ] as const) {
      sockets.add(from)
      from.on('data', (chunk) => {
        // frozen: swallow the bytes, as a dead path would
        if (!frozen) to.write(chunk)
      })
      from.on('error', () => to.destroy())
      from.on('close', () => {
        sockets.delete(from)
        if (!frozen) to.destroy()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const proxy: FreezeProxy = {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections
    },
    freeze: () => void (frozen = true),
    thaw: () => void (frozen = false),
    close: () => {
      for (const socket of sockets) socket.destroy()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  open.add(proxy)
  return proxy
}

afterEach(async () => {
  await Promise.all([...open].map((p) => p.close()))
  open.clear()
})
