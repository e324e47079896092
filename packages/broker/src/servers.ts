import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, Server as HttpServer } from 'node:http'
import type { AddressInfo, Server as TcpServer } from 'node:net'

/** Listens and resolves with the port actually bound (port 0 picks a free one). */
export function listen(server: HttpServer | TcpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/** Closes a server, resolving once it stopped. */
export function closeServer(server: HttpServer | TcpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()))
}

/** `Authorization: Bearer <token>` check in constant time; accepts everything when no token is set. */
export function bearerCheck(token: string | undefined): (req: IncomingMessage) => boolean {
  if (token === undefined) return () => true
  const expected = Buffer.from(`Bearer ${token}`)
  return (req) => {
    const got = Buffer.from(req.headers.authorization ?? '')
    return got.length === expected.length && timingSafeEqual(got, expected)
  }
}
