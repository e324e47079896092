// @vitest-environment node
import { liveTopic, useConnection, useTopic } from '@livetopic/vue'
import { renderToString } from '@vue/server-renderer'
import { createSSRApp, defineComponent, h } from 'vue'
import { describe, expect, it } from 'vitest'
import { useLive } from '../helpers/live.js'
import { sleep } from '../helpers/wait.js'

const Page = defineComponent({
  setup() {
    const chat = useTopic<{ text: string }>('rooms/+room/messages', { throttle: 'frame' })
    const connection = useConnection()
    return () => h('p', `${connection.value.status}/${chat.value.status}/${chat.value.data?.text ?? 'nothing yet'}`)
  },
})

describe('@livetopic/vue on the server', () => {
  it('renders with no window and opens no socket', async () => {
    expect(typeof window).toBe('undefined')
    const { live, connections } = await useLive()
    const app = createSSRApp(Page)
    app.use(liveTopic(live))
    expect(await renderToString(app)).toBe('<p>idle/idle/nothing yet</p>')
    await sleep(100)
    expect(connections()).toBe(0)
    expect(live.status.get().status).toBe('idle')
  })
})
