// @vitest-environment node
import { LiveTopicProvider, useConnection, useTopic } from '@livetopic/react'
import type { ReactNode } from 'react'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { useLive } from '../helpers/live.js'
import { sleep } from '../helpers/wait.js'

function Page(): ReactNode {
  const chat = useTopic<{ text: string }>('rooms/+room/messages', { throttle: 'frame' })
  const { status } = useConnection()
  return (
    <p>
      {status}/{chat.status}/{chat.data?.text ?? 'nothing yet'}
    </p>
  )
}

describe('@livetopic/react on the server', () => {
  it('renders with no window and opens no socket', async () => {
    expect(typeof window).toBe('undefined')
    const { live, connections } = await useLive()
    const html = renderToString(
      <LiveTopicProvider client={live}>
        <Page />
      </LiveTopicProvider>,
    )
    expect(html).toBe('<p>idle<!-- -->/<!-- -->idle<!-- -->/<!-- -->nothing yet</p>')
    // past the tick in which a subscription would have asked for a connection
    await sleep(100)
    expect(connections()).toBe(0)
    expect(live.status.get().status).toBe('idle')
  })
})
