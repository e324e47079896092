// A confused tab on the channel (a broken script, another version of the app during a deploy) in
// real Chromium: what it posts is ignored or handled, and the tabs sharing a connection carry on
// (#22). Same-origin code is trusted code: this is robustness, not a security boundary.
import { PROTOCOL } from '../../../packages/core/src/tabs/protocol.js'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browsers, type Tab } from '../support/chromium-tabs.js'

describe('shareAcrossTabs with a confused tab in Chromium', () => {
  let env: Browsers
  let channel = 0
  const fresh = (): string => `confused-${++channel}`
  const name = (ch: string): string => `livetopic:${PROTOCOL}:${ch}`

  beforeAll(async () => {
    env = await Browsers.start()
  }, 60_000)

  afterAll(async () => {
    await env?.close()
  })

  /** Opens tabs, all connected and listening to `filter`; collects every page error. */
  async function openTabs(ch: string, filter: string, iot = false): Promise<{ tabs: Tab[]; errors: string[] }> {
    const errors: string[] = []
    const tabs: Tab[] = []
    for (let i = 0; i < 2; i++) tabs.push(await env.tab({ channel: ch, iot }))
    for (const t of tabs) t.page.on('pageerror', (e) => void errors.push(e.message))
    await Promise.all(tabs.map((t) => t.connected()))
    await Promise.all(tabs.map((t) => t.call('listen', filter)))
    await Promise.all(tabs.map((t) => t.until(() => t.call('subscribed', filter), Boolean)))
    return { tabs, errors }
  }

  /** The tabs still share one connection and each shows a message published now, once. */
  async function unharmed(tabs: Tab[], filter: string, n: number): Promise<void> {
    expect((await Promise.all(tabs.map((t) => t.role()))).sort()).toEqual(['follower', 'leader'])
    for (const t of tabs) expect((await t.call('status')).status).toBe('connected')
    await env.publish(filter, { n })
    for (const t of tabs)
      await t.until(
        () => t.call('seen', filter),
        (s) => s.length === n,
      )
    // a follower's request still reaches the real leader
    const follower = (await Promise.all(tabs.map((t) => t.role()))).indexOf('follower')
    expect(await tabs[follower]!.call('publish', filter, { from: 'follower' }, 1)).toBe('ok')
  }

  async function post(page: Page, channelName: string, messages: unknown[]): Promise<void> {
    await page.evaluate(
      ([n, list]) => {
        const bc = new BroadcastChannel(n)
        for (const m of list) bc.postMessage(m)
        bc.close()
      },
      [channelName, messages] as const,
    )
  }

  it('null, garbage, malformed messages and other versions are ignored: no tab throws, none is harmed', async () => {
    const ch = fresh()
    const before = env.connections
    const { tabs, errors } = await openTabs(ch, 'h1/t')
    const bare = await env.bare()
    const v = PROTOCOL
    await post(bare, name(ch), [
      null,
      undefined,
      42,
      'garbage',
      [],
      {},
      { type: 'state' },
      { v, type: 'state' },
      { v, type: 'state', from: 7, session: 'x' },
      { v, type: 'msg', session: 1, topic: 'h1/t', payload: 'x', qos: 0, retained: false },
      { v, type: 'answer', to: 'x', id: 'one' },
      { v, type: 'sub', from: 'x', to: 'y', id: 1, session: 's', subs: null },
      { v, type: 'sub', from: 'x', to: 'y', id: 1, session: 's', subs: [null] },
      { v, type: 'pub', from: 'x', to: 'y', id: 1, session: 's', topic: 'h1/t', payload: {}, qos: 0, retain: false },
      { v: v + 1, type: 'state', from: 'future', session: 'future:1' },
      { v: v - 1, type: 'state', from: 'past', term: 1e308, session: 'past:1' },
      { v, type: 'nonsense', from: 'x' },
    ])
    await new Promise((r) => setTimeout(r, 300))
    await unharmed(tabs, 'h1/t', 1)
    expect(errors).toEqual([])
    expect(env.connections - before).toBe(1)
    await Promise.all([...tabs.map((t) => t.close()), bare.close()])
  })

  it('a state with a huge term from a page holding a lock of its own does not take over the followers', async () => {
    const ch = fresh()
    const { tabs, errors } = await openTabs(ch, 'h2/t')
    const bare = await env.bare()
    const lockName = name(ch)
    // the confused page holds a tab lock of its own (as a real tab would), then claims to lead
    await bare.evaluate((n) => {
      void navigator.locks.request(`${n}:tab:impostor`, () => new Promise(() => {}))
    }, lockName)
    await post(bare, lockName, [
      { v: PROTOCOL, type: 'state', from: 'impostor', term: Number.MAX_VALUE, session: 'impostor:1' },
      { v: PROTOCOL, type: 'state', from: 'impostor', term: 1e308, session: '' },
    ])
    await new Promise((r) => setTimeout(r, 500))
    await unharmed(tabs, 'h2/t', 1)
    expect(errors).toEqual([])
    await Promise.all([...tabs.map((t) => t.close()), bare.close()])
  })

  it("a request of 9 filters from another tab goes out in SUBSCRIBEs of the profile's 8 at most: the leader stays connected", async () => {
    const ch = fresh()
    const before = env.connections
    const { tabs, errors } = await openTabs(ch, 'h3/t', true)
    const bare = await env.bare()
    // the page learns the leader and its session from the channel, as a tab would, then asks
    const codes = await bare.evaluate(
      ([n, v]) =>
        new Promise<unknown>((resolve) => {
          const bc = new BroadcastChannel(n)
          bc.onmessage = ({ data }: MessageEvent<{ type: string; from: string; session: string; to: string; codes: number[] }>) => {
            if (data.type === 'state' && data.session)
              bc.postMessage({
                v,
                type: 'sub',
                from: 'asker',
                to: data.from,
                id: 1,
                session: data.session,
                subs: Array.from({ length: 9 }, (_, i) => ({ filter: `h3/${i}`, qos: 1 })),
              })
            if (data.type === 'answer' && data.to === 'asker') resolve(data.codes)
          }
          bc.postMessage({ v, type: 'hello', from: 'asker' })
        }),
      [name(ch), PROTOCOL] as const,
    )
    expect(codes).toEqual(Array(9).fill(1))
    await new Promise((r) => setTimeout(r, 300))
    await unharmed(tabs, 'h3/t', 1)
    expect(env.connections - before).toBe(1) // never dropped and reconnected
    expect(errors).toEqual([])
    await Promise.all([...tabs.map((t) => t.close()), bare.close()])
  })

  it('tabs of another protocol version do not share: their locks and channel are not ours', async () => {
    const ch = fresh()
    const bare = await env.bare()
    // an older version of the app leads on its own names (`livetopic:<channel>`, `livetopic:1:<channel>`)
    await bare.evaluate((c) => {
      for (const n of [`livetopic:${c}`, `livetopic:1:${c}`]) void navigator.locks.request(`${n}:leader`, () => new Promise(() => {}))
      const bc = new BroadcastChannel(`livetopic:${c}`)
      bc.postMessage({ type: 'state', from: 'old', term: 1e308, session: 'old:1' })
    }, ch)
    const tab = await env.tab({ channel: ch })
    await tab.connected()
    expect(await tab.role()).toBe('leader')
    await Promise.all([tab.close(), bare.close()])
  })
})
