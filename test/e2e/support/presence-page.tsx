// The page of the presence test in Chromium: a React app whose roster comes from usePresence
// with retainedPresence on Mosquitto. `window.presence` lets the test change the member's status
// and kill its socket (no MQTT DISCONNECT: the broker publishes the will), then let it reconnect.
import { createClient } from '@livetopic/core'
import { retainedPresence } from '@livetopic/core/presence'
import { LiveTopicProvider, usePresence } from '@livetopic/react'
import { useEffect } from 'react'
import { createRoot } from 'react-dom/client'

const params = new URLSearchParams(location.search)
const id = params.get('id') ?? 'nobody'
const reconnect = Number(params.get('reconnect') ?? '50')
const sockets = new Set<WebSocket>()
// while down, every attempt goes to a closed port: the client retries until `revive()`, so the time
// the member is away is the test's to choose, not a draw of the reconnect jitter
let down = false
class TrackedWebSocket extends WebSocket {
  constructor(url: string, protocols: string[]) {
    super(down ? 'ws://127.0.0.1:1/mqtt' : url, protocols)
    sockets.add(this)
    this.addEventListener('close', () => sockets.delete(this))
  }
}
const strategy = retainedPresence({ topic: 'e2e/presence' })
const client = createClient({
  url: params.get('broker') ?? '',
  clientId: id,
  will: strategy.will(id),
  WebSocket: TrackedWebSocket,
  reconnect: { initialDelay: reconnect, maxDelay: reconnect },
})

declare global {
  interface Window {
    presence: { update(status: string): void; kill(): void; revive(): void }
  }
}

function Members() {
  const { members, update } = usePresence<{ status: string }>({ strategy, initialState: { status: 'here' } })
  useEffect(() => {
    window.presence = {
      update: (status) => update({ status }),
      kill: () => {
        down = true
        sockets.forEach((socket) => socket.close())
      },
      revive: () => {
        down = false
      },
    }
  }, [update])
  return (
    <ul aria-label="members">
      {members.map((m) => (
        <li key={m.id}>{`${m.id}:${m.state?.status ?? '-'}${m.isMe ? ' (you)' : ''}`}</li>
      ))}
    </ul>
  )
}

createRoot(document.getElementById('root')!).render(
  <LiveTopicProvider client={client}>
    <Members />
  </LiveTopicProvider>,
)
