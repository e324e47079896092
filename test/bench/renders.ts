// 3. Renders: a React component using `useTopic` from @livetopic/react, in jsdom (pretendToBeVisual,
// so requestAnimationFrame runs at 60 Hz as in a browser). Messages come through a fake in-memory
// transport (this measures React work, not the network). (a) 1,000 messages one per macrotask:
// renders counted (target: one per message + mount). (b) `throttle: 'frame'` while 10,000 msg/s
// arrive: renders per second (target ≤ 60).
import { createClient } from '@livetopic/core'
import { dom } from './lib/jsdom-globals.js'
import { fakeTransport } from './lib/fake-transport.js'
import { main, SHORT } from './lib/result.js'
import { round, sleep } from './lib/stats.js'

const MESSAGES = 1_000
const RATE = 10_000
const SECONDS = SHORT ? 0.5 : 3

const React = await import('react')
const { createRoot } = await import('react-dom/client')
const { LiveTopicProvider, useTopic } = await import('@livetopic/react')

const nextTask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

interface Counted {
  renders: number
  last: unknown
}

async function scenario(
  throttle: 'frame' | undefined,
  drive: (deliver: (seq: number) => void) => Promise<number>,
): Promise<{ mount: number; renders: number; delivered: number; final: unknown; seconds: number }> {
  const fake = fakeTransport()
  const client = createClient({ url: 'ws://127.0.0.1:1/unused' }, fake.factory)
  const counted: Counted = { renders: 0, last: undefined }
  function Reading(): React.ReactElement {
    const state = useTopic<{ seq: number }>('bench/renders', throttle ? { throttle } : undefined)
    counted.renders++
    counted.last = state.data?.seq
    return React.createElement('span', null, String(state.data?.seq ?? '-'))
  }
  const container = dom.window.document.getElementById('root')!
  const root = createRoot(container)
  root.render(React.createElement(LiveTopicProvider, { client }, React.createElement(Reading)))
  // mount, then the store's status changes (subscribing → subscribed) settle before counting
  await sleep(100)
  const before = counted.renders
  const encoder = new TextEncoder()
  const started = performance.now()
  const delivered = await drive((seq) => fake.deliver('bench/renders', encoder.encode(`{"seq":${seq}}`)))
  const seconds = (performance.now() - started) / 1000
  // let a pending throttled update land
  await sleep(100)
  const renders = counted.renders - before
  root.unmount()
  await client.close()
  return { mount: before, renders, delivered, final: counted.last, seconds }
}

main(async () => {
  // (a) one message per macrotask
  const a = await scenario(undefined, async (deliver) => {
    for (let i = 0; i < MESSAGES; i++) {
      deliver(i)
      await nextTask()
    }
    return MESSAGES
  })
  // (b) RATE msg/s for SECONDS with throttle: 'frame'; a burst each millisecond, caught up when late
  // jsdom's animation frames are counted alongside: its clock, not a browser's, sets the pace
  let frames = 0
  const b = await scenario('frame', async (deliver) => {
    const total = Math.round(RATE * SECONDS)
    const started = performance.now()
    let counting = true
    const frame = (): void => {
      frames++
      if (counting) requestAnimationFrame(frame)
    }
    requestAnimationFrame(frame)
    let sent = 0
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - started) * RATE) / 1000))
      for (; sent < due; sent++) deliver(sent)
      await nextTask()
    }
    counting = false
    return total
  })
  const perMessage = a.renders / a.delivered
  const perSecond = b.renders / b.seconds
  const note = '@livetopic/react useTopic, React 19, jsdom, fake transport'
  return [
    { bench: 'renders', metric: 'renders before the first message (mount + status)', value: a.mount, unit: 'renders', note },
    {
      bench: 'renders',
      metric: `renders for ${MESSAGES} messages`,
      value: a.renders,
      unit: 'renders',
      target: `≤ ${MESSAGES}`,
      ok: a.renders <= MESSAGES && a.final === MESSAGES - 1,
      note: `${note}; last value shown: ${String(a.final)}`,
    },
    { bench: 'renders', metric: 'renders per message', value: round(perMessage), unit: 'ratio', target: '≤ 1', ok: perMessage <= 1, note },
    {
      bench: 'renders',
      metric: `throttle 'frame': renders per animation frame`,
      value: round(b.renders / frames),
      unit: 'ratio',
      target: '≤ 1',
      ok: b.renders <= frames + 1,
      note: `${note}; ${b.renders} renders, ${frames} jsdom frames (${round(frames / b.seconds)}/s)`,
    },
    {
      bench: 'renders',
      metric: `throttle 'frame' at ${RATE} msg/s`,
      value: round(perSecond),
      unit: 'renders/s',
      target: '≤ 60',
      ok: perSecond <= 60 && b.final === b.delivered - 1,
      note: `${note}; ${b.delivered} msgs over ${b.seconds.toFixed(2)} s, last value shown: ${String(b.final)}`,
    },
  ]
})
