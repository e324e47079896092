import type { LiveTopicClient, TopicMap } from '@livetopic/core'
import { iotPresence } from '@livetopic/core/presence'
import { LiveTopicProvider, useConnection, usePresence, usePublish, useTopic, useTopicListener } from '@livetopic/react'
import { act, cleanup, render } from '@testing-library/react'
import { useState, type ReactNode } from 'react'
import { afterEach } from 'vitest'
import { describeAdapter, type PublishHandle, type PublishView } from '../adapters/adapter-spec.js'

interface Chat {
  text: string
}

afterEach(() => cleanup())

const wrap = (live: LiveTopicClient, children: ReactNode): ReactNode => <LiveTopicProvider client={live}>{children}</LiveTopicProvider>

function Room({ room, onRender }: { room: string; onRender?: () => void }): ReactNode {
  const chat = useTopic<Chat>(`rooms/${room}/messages`)
  onRender?.()
  return (
    <p data-testid="chat">
      {chat.status}|{chat.data?.text ?? '-'}|{chat.error?.code ?? ''}
    </p>
  )
}

function AnyRoom(): ReactNode {
  const chat = useTopic<Chat>('rooms/+room/messages')
  const connection = useConnection()
  return (
    <>
      <p data-testid="chat">{chat.message ? `${chat.message.params.room}: ${chat.data?.text}` : chat.status}</p>
      <p data-testid="connection">{connection.status}</p>
    </>
  )
}

const lifecycle = iotPresence()

function Who(): ReactNode {
  const { status, members } = usePresence({ strategy: lifecycle })
  return (
    <p data-testid="chat">
      {status}:
      {members
        .filter((m) => !m.isMe)
        .map((m) => m.id)
        .join(',')}
    </p>
  )
}

function Toggle({ on }: { on: boolean }): ReactNode {
  const chat = useTopic<Chat>('rooms/t/messages', { enabled: on })
  const [heard, setHeard] = useState(0)
  useTopicListener(on ? 'alerts/t' : null, () => setHeard((n) => n + 1))
  return (
    <p data-testid="chat">
      {chat.status}|{chat.data?.text ?? '-'}|{heard}
    </p>
  )
}

function Sender({ onRender }: { onRender: (publish: PublishHandle, state: PublishView) => void }): ReactNode {
  const publish = usePublish<TopicMap>()
  onRender(publish, publish)
  return null
}

describeAdapter({
  name: 'react',
  anyRoom: (live) => void render(wrap(live, <AnyRoom />)),
  room(live, room, onRender) {
    const view = render(wrap(live, <Room room={room} onRender={onRender} />))
    return {
      unmount: () => view.unmount(),
      setRoom(next) {
        view.rerender(wrap(live, <Room room={next} onRender={onRender} />))
        return Promise.resolve()
      },
    }
  },
  who: (live) => void render(wrap(live, <Who />)),
  toggle(live, enabled) {
    const view = render(wrap(live, <Toggle on={enabled} />))
    return {
      setEnabled(on) {
        act(() => view.rerender(wrap(live, <Toggle on={on} />)))
        return Promise.resolve()
      },
    }
  },
  publisher: (live, onRender) => void render(wrap(live, <Sender onRender={onRender} />)),
  act: (change) => act(async () => void (await change())),
  flush: async () => {},
  withoutClient() {
    // React logs the error it rethrows: keep the test output quiet
    const quiet = console.error
    console.error = () => {}
    try {
      render(<Room room="a" />)
    } finally {
      console.error = quiet
    }
  },
  withoutClientError: /LiveTopicProvider/,
})
