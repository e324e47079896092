// @vitest-environment jsdom
// mountDevtools with a client replaced at once (React's StrictMode makes a client, closes it and
// makes another; a sign-in does the same): the panel shows the newest live call whatever order the
// panel's chunk resolves in, removing it shows the one before, removing the last removes the panel.
import { createClient, type LiveTopicClient } from '@livetopic/core'
import { mountDevtools } from '@livetopic/devtools'
import { afterEach, describe, expect, it } from 'vitest'
import { eventually } from '../helpers/wait.js'

// nothing listens there: the panel shows a client whatever its connection does
const DEAD = 'ws://127.0.0.1:9/mqtt'
const clients: LiveTopicClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  document.body.replaceChildren()
})

/** The client the page's panel shows, or undefined when there is no panel. */
function shownClient(): LiveTopicClient | undefined {
  const panel = document.querySelector('livetopic-devtools') as { client?: LiveTopicClient } | null
  return panel?.client
}

describe('mountDevtools', () => {
  it('follows the newest live client, falls back to the one before, and goes with the last', async () => {
    const [first, second, third] = [1, 2, 3].map(() => createClient({ url: DEAD }))
    clients.push(first!, second!, third!)

    // the StrictMode sequence: mount, unmount (the client closes), mount again, all before the chunk loads
    const hideFirst = mountDevtools(first!)
    hideFirst()
    void first!.close()
    const hideSecond = mountDevtools(second!)
    await eventually(() => shownClient() === second, 5_000, 'the panel to show that client')

    // two live: the newer one shows; removing it shows the one before
    const hideThird = mountDevtools(third!)
    await eventually(() => shownClient() === third, 5_000, 'the panel to show that client')
    hideThird()
    expect(shownClient()).toBe(second)
    hideThird() // twice: nothing
    expect(shownClient()).toBe(second)

    hideSecond()
    expect(document.querySelector('livetopic-devtools')).toBeNull()
  })

  it('an older call removed while a newer shows leaves the newer in place', async () => {
    const [older, newer] = [1, 2].map(() => createClient({ url: DEAD }))
    clients.push(older!, newer!)
    const hideOlder = mountDevtools(older!)
    const hideNewer = mountDevtools(newer!)
    await eventually(() => shownClient() === newer, 5_000, 'the panel to show that client')
    hideOlder()
    expect(shownClient()).toBe(newer)
    hideNewer()
    expect(document.querySelector('livetopic-devtools')).toBeNull()
  })
})
