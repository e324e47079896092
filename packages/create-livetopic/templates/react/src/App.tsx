import { useEffect, useMemo, useState, type FormEvent } from 'react'
import { LiveTopicProvider, useConnection, usePublish, useTopic } from '@livetopic/react'
import { brokerUrl } from 'virtual:livetopic'
import { connect, devSignIn, endpointOf, type SignIn } from '../livetopic/client.js'
import { outboxOf } from '../livetopic/topics.js'

export function App() {
  const [user, setUser] = useState<SignIn>()
  const [error, setError] = useState<string>()
  const client = useMemo(() => user && connect(endpointOf(brokerUrl), user, () => user.idToken), [user])
  useEffect(() => () => void client?.close(), [client])
  if (!client) {
    const signIn = (event: FormEvent<HTMLFormElement>): void => {
      event.preventDefault()
      const name = String(new FormData(event.currentTarget).get('name') ?? '')
      devSignIn(brokerUrl, name).then(setUser, (e: Error) => setError(e.message))
    }
    return (
      <form onSubmit={signIn}>
        <input name="name" aria-label="Your name" placeholder="Your name" required />
        <button>Join</button>
        {error && <p role="alert">{error}</p>}
      </form>
    )
  }
  return (
    <LiveTopicProvider client={client}>
      <Chat />
    </LiveTopicProvider>
  )
}

function Chat() {
  const connection = useConnection()
  const room = useTopic('rooms/lobby/messages', { history: 50 })
  const publish = usePublish()
  const [text, setText] = useState('')
  const send = (event: FormEvent): void => {
    event.preventDefault()
    void publish(outboxOf(connection.clientId), { text }, { qos: 1 })
    setText('')
  }
  return (
    <main>
      <p role="status" aria-label="Connection" data-status={connection.status}>
        {connection.status}
      </p>
      <ul aria-label="Messages">
        {room.history.map((m, i) => (
          <li key={i}>
            <b>{m.payload.author}</b>: {m.payload.text}
          </li>
        ))}
      </ul>
      {room.error && <p role="alert">{room.error.message}</p>}
      <form onSubmit={send}>
        <input aria-label="Message" value={text} onChange={(e) => setText(e.target.value)} required />
        <button>Send</button>
      </form>
    </main>
  )
}
