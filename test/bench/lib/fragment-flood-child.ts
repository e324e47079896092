// The pre-authentication flood of test/bench/preauth-flood.ts, in its own process so that the
// legitimate client timed there does not share an event loop with 600 attackers. Argv: URL,
// connections, fragments. IPC: after a message from the parent, { started } once every connection is asked for, then
// { sent, refused } when each has sent its flood or been refused; exits on disconnect.
import type { Socket } from 'node:net'
import WebSocket from 'ws'

const [url, connectionsArg, fragmentsArg] = process.argv.slice(2)
const connections = Number(connectionsArg)
const fragments = Number(fragmentsArg)

/** `fragments` masked (key 0) one-byte frames: a binary first fragment, then continuations, none final. */
const bytes = Buffer.alloc(fragments * 7)
for (let i = 0; i < fragments; i++) {
  bytes[i * 7] = i === 0 ? 0x02 : 0x00
  bytes[i * 7 + 1] = 0x81
  bytes[i * 7 + 6] = 0x10
}

const sockets: WebSocket[] = []
function flood(): Promise<'sent' | 'refused'> {
  const ws = new WebSocket(url!, 'mqtt')
  sockets.push(ws)
  return new Promise((resolve) => {
    ws.once('open', () => {
      ;(ws as unknown as { _socket: Socket })._socket.write(bytes, () => resolve('sent'))
    })
    ws.once('unexpected-response', () => resolve('refused'))
    ws.once('error', () => resolve('refused'))
    ws.once('close', () => resolve('refused'))
  })
}

// the parent says when: it measures the broker's RSS before
await new Promise((resolve) => process.once('message', resolve))
const floods = Array.from({ length: connections }, flood)
process.send!({ started: true, offeredBytes: connections * bytes.length })
const outcomes = await Promise.all(floods)
process.send!({ sent: outcomes.filter((o) => o === 'sent').length, refused: outcomes.filter((o) => o === 'refused').length })
process.once('disconnect', () => {
  for (const ws of sockets) ws.terminate()
  process.exit(0)
})
