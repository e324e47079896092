import { usePublish, useTopic } from '@livetopic/react'
import { useState, type FormEvent } from 'react'
import { topics, type ChatInput, type ChatMessage } from '../../../shared/config.js'
import type { Session } from '../../../shared/session.js'
import { errorText, formatTime } from '../../../shared/ui.js'

/** Message list on the broadcast topic and a composer that writes to this client's input topic. */
export function ChatRoom({ session }: { session: Session }) {
  const room = useTopic<ChatMessage>(topics.room, { history: 50 })
  // pending and the last error come with it: the button and the alert read them
  const publish = usePublish()
  const [text, setText] = useState('')

  const send = (event: FormEvent) => {
    event.preventDefault()
    const input: ChatInput = { name: session.name, text: text.trim() }
    if (!input.text) return
    setText('')
    publish.reset()
    // the rule on client/<id> validates it and republishes it to the room; a failure shows in publish.error
    publish(topics.input(session.clientId), input, { qos: 1 }).catch(() => {})
  }
  // the policy only allows client/<id>: the broker refuses this one, the page carries on
  const forbidden = () => {
    publish.reset()
    publish(topics.room, { name: session.name, text: 'straight to the room' }, { qos: 1 }).catch(() => {})
  }

  return (
    <section className="panel" aria-labelledby="room-title">
      <h2 id="room-title">Live room</h2>
      <ol className="messages" role="log" aria-live="polite" aria-label="Messages">
        {room.history.length === 0 && <li className="empty">No messages yet. Say hello!</li>}
        {room.history.map(({ payload: m }) => (
          <li key={m.id} className={m.clientId === session.clientId ? 'mine' : undefined}>
            <div className="meta">
              <span className="author">{m.name}</span>
              <time dateTime={new Date(m.at).toISOString()}>{formatTime(m.at)}</time>
            </div>
            <p className="text">{m.text}</p>
          </li>
        ))}
      </ol>
      <form className="composer" onSubmit={send}>
        <div className="field">
          <label htmlFor="message">Message</label>
          <input id="message" type="text" maxLength={500} autoComplete="off" value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <button type="submit" disabled={!text.trim()} aria-busy={publish.pending > 0}>
          {publish.pending > 0 ? 'Sending…' : 'Send'}
        </button>
      </form>
      <div className="actions">
        <button type="button" className="ghost" onClick={forbidden}>
          Post straight to the room (not allowed)
        </button>
      </div>
      <p className="error" role="alert">
        {publish.error && errorText(publish.error)}
      </p>
    </section>
  )
}
