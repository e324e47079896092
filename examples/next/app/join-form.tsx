/**
 * The name picker: a plain GET form, so `/?name=Ada` is the signed-in page and the server renders
 * it (no script needed to join). A server component: it has no state.
 */
export function JoinForm() {
  return (
    <main className="app">
      <section className="panel join" aria-labelledby="join-title">
        <h1 id="join-title">
          livetopic · <small>Next.js</small>
        </h1>
        <p>AWS IoT Core as serverless WebSockets, against the local broker. Pick a name to join the room.</p>
        <form method="get">
          <div>
            <label htmlFor="name">Your name</label>
            <input id="name" name="name" type="text" autoComplete="nickname" maxLength={40} required />
          </div>
          <button type="submit">Join</button>
        </form>
      </section>
    </main>
  )
}
