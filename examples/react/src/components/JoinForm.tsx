import { useState, type FormEvent } from 'react'

/** The sign-in form: a name, once per browser (the other tabs and later visits skip it). */
export function JoinForm({ onJoin }: { onJoin: (name: string) => Promise<void> }) {
  const [name, setName] = useState('')
  const [error, setError] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setError('')
    if (name.trim()) onJoin(name.trim()).catch((e: Error) => setError(e.message))
  }
  return (
    <main className="app">
      <section className="panel join" aria-labelledby="join-title">
        <h1 id="join-title">
          livetopic · <small>React</small>
        </h1>
        <p>AWS IoT Core as serverless WebSockets, against the local broker. Pick a name to join the room.</p>
        <form onSubmit={submit}>
          <div>
            <label htmlFor="name">Your name</label>
            <input id="name" type="text" autoComplete="nickname" maxLength={40} required value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <button type="submit">Join</button>
        </form>
        <p className="error" role="alert">
          {error}
        </p>
      </section>
    </main>
  )
}
