// 8. One connection per browser (shareAcrossTabs), in Chromium: N pages of one browser context
// against the aedes stand-in (in this process), which counts connections and forwarded PUBLISH
// packets. (a) broker connections and deliveries per published message for 1, 3 and 10 tabs, mode
// on and off (off = every tab its own livetopic client on MQTT.js: the baseline); (b) time from
// the leader tab's close to the first message at the new leader; (c) QoS 1 publishes from the
// followers across repeated handovers, lost and duplicated, counted by an observer client.
import { createClient } from '@livetopic/core'
import type { BrowserContext } from 'playwright-core'
// Node 20 has no global WebSocket: the observer's built-in transport gets `ws`'s
import { WebSocket } from 'ws'
import { Browsers, type Tab } from '../tabs/support/chromium-tabs.js'
import { main, SHORT, type BenchRow } from './lib/result.js'
import { median, round, sleep } from './lib/stats.js'

const TAB_COUNTS = [1, 3, 10]
const MESSAGES = SHORT ? 10 : 50
const HANDOVER_SAMPLES = SHORT ? 2 : 5
const HANDOVERS = SHORT ? 3 : 20
const bench = 'tabs'

async function openTabs(
  env: Browsers,
  context: BrowserContext,
  count: number,
  options: { share: boolean; channel: string; stableAfter?: number },
): Promise<Tab[]> {
  const tabs: Tab[] = []
  for (let i = 0; i < count; i++) tabs.push(await env.tab({ ...options, context }))
  await Promise.all(tabs.map((t) => t.connected()))
  return tabs
}

async function leaderOf(tabs: Tab[]): Promise<Tab> {
  for (;;) {
    const roles = await Promise.all(tabs.map((t) => t.role()))
    const i = roles.indexOf('leader')
    if (i >= 0) return tabs[i]!
    await sleep(20)
  }
}

/** (a) connections and deliveries per message. */
async function costs(env: Browsers, count: number, share: boolean): Promise<{ connections: number; perMessage: number }> {
  const context = await env.browser.newContext()
  const topic = `bench/cost/${count}/${share ? 'on' : 'off'}`
  const before = env.connections
  const tabs = await openTabs(env, context, count, { share, channel: topic })
  await Promise.all(tabs.map((t) => t.call('listen', topic)))
  await Promise.all(tabs.map((t) => t.until(() => t.call('subscribed', topic), Boolean)))
  for (let n = 0; n < MESSAGES; n++) await env.publish(topic, { n })
  await Promise.all(
    tabs.map((t) =>
      t.until(
        () => t.call('seen', topic),
        (s) => s.length === MESSAGES,
        30_000,
        `${MESSAGES} messages`,
      ),
    ),
  )
  const result = { connections: env.connections - before, perMessage: env.deliveries(topic) / MESSAGES }
  await context.close()
  return result
}

/** (b) leader close → first message at the new leader, and → its CONNECT at the broker. */
async function handoverLatency(env: Browsers): Promise<{ firstMessage: number[]; connect: number[] }> {
  const context = await env.browser.newContext()
  const topic = 'bench/handover'
  const tabs = await openTabs(env, context, 3, { share: true, channel: topic, stableAfter: 1000 })
  const firstMessage: number[] = []
  const connect: number[] = []
  let n = 0
  const ticker = setInterval(() => void env.publish(topic, { n: n++ }), 10)
  try {
    for (let i = 0; i < HANDOVER_SAMPLES; i++) {
      await Promise.all(tabs.map((t) => t.call('listen', topic)))
      await Promise.all(tabs.map((t) => t.until(() => t.call('subscribed', topic), Boolean)))
      await sleep(1200) // past stableAfter: the backoff starts from its first step, as after any long-lived connection
      const leader = await leaderOf(tabs)
      tabs.splice(tabs.indexOf(leader), 1)
      let connectedAt = 0
      const onClient = (): void => void (connectedAt ||= Date.now())
      env.broker.aedes.once('client', onClient)
      const closedAt = Date.now()
      await leader.close()
      const next = await leaderOf(tabs)
      await next.until(
        () => Promise.resolve(connectedAt),
        (t) => t > 0,
        15_000,
        'the new leader to connect',
      )
      // the old leader forwards until its page is gone: the first message over the new connection
      // is the first one after the outage, i.e. arriving after the new CONNECT
      const seen = await next.until(
        () => next.call('seen', topic),
        (s) => s.some((m) => m.at > connectedAt),
        15_000,
        'a message at the new leader',
      )
      firstMessage.push(seen.find((m) => m.at > connectedAt)!.at - closedAt)
      connect.push(connectedAt - closedAt)
      env.broker.aedes.off('client', onClient)
      tabs.push(...(await openTabs(env, context, 1, { share: true, channel: topic, stableAfter: 1000 })))
    }
  } finally {
    clearInterval(ticker)
    await context.close()
  }
  return { firstMessage, connect }
}

/** (c) QoS 1 publishes from followers while the leader closes, over many handovers. */
async function handovers(env: Browsers): Promise<{ sent: number; failed: number; lost: number; duplicated: number }> {
  const context = await env.browser.newContext()
  const topic = 'bench/qos1-handover'
  const observer = createClient({ url: env.broker.url, WebSocket })
  const got: string[] = []
  observer.onMessage<string>(topic, (m) => got.push(m.payload), { qos: 1 })
  observer.connect()
  const tabs = await openTabs(env, context, 3, { share: true, channel: topic, stableAfter: 1000 })
  const expected: string[] = []
  let failed = 0
  try {
    for (let round = 0; round < HANDOVERS; round++) {
      const leader = await leaderOf(tabs)
      const followers = tabs.filter((t) => t !== leader)
      const sending = followers.map((t, i) =>
        t.page.evaluate(
          async ({ topic, who }) => {
            const api = (window as unknown as { tab: { publish(topic: string, payload: unknown, qos: 1): Promise<string> } }).tab
            const results: Promise<string>[] = []
            for (let n = 0; n < 20; n++) {
              results.push(api.publish(topic, `${who}-${n}`, 1))
              await new Promise((r) => setTimeout(r, 15))
            }
            return Promise.all(results)
          },
          { topic, who: `${round}-${i}` },
        ),
      )
      for (let i = 0; i < followers.length; i++) for (let n = 0; n < 20; n++) expected.push(`${round}-${i}-${n}`)
      await sleep(100)
      tabs.splice(tabs.indexOf(leader), 1)
      await leader.close()
      for (const results of await Promise.all(sending)) failed += results.filter((r) => r !== 'ok').length
      tabs.push(...(await openTabs(env, context, 1, { share: true, channel: topic, stableAfter: 1000 })))
      await sleep(1100)
    }
    const end = Date.now() + 10_000
    while (got.length < expected.length && Date.now() < end) await sleep(50)
    await sleep(500)
  } finally {
    await observer.close()
    await context.close()
  }
  const unique = new Set(got)
  return { sent: expected.length, failed, lost: expected.filter((e) => !unique.has(e)).length, duplicated: got.length - unique.size }
}

main(async () => {
  const env = await Browsers.start()
  const rows: BenchRow[] = []
  try {
    for (const count of TAB_COUNTS) {
      for (const share of [false, true]) {
        const r = await costs(env, count, share)
        const mode = share ? 'mode on' : 'mode off'
        const goal = share && count === 10
        rows.push({
          bench,
          metric: `${count} tab(s), ${mode}: broker connections`,
          value: r.connections,
          unit: 'conn',
          ...(goal ? { target: '1', ok: r.connections === 1 } : {}),
          note: 'aedes stand-in, Chromium, one context',
        })
        rows.push({
          bench,
          metric: `${count} tab(s), ${mode}: deliveries per message`,
          value: round(r.perMessage),
          unit: 'PUBLISH',
          ...(goal ? { target: '1', ok: r.perMessage === 1 } : {}),
          note: `${MESSAGES} messages, every tab listening`,
        })
      }
    }
    const latency = await handoverLatency(env)
    const worstConnect = Math.max(...latency.connect)
    rows.push({
      bench,
      metric: 'handover: leader close → CONNECT of the new leader (max)',
      value: round(worstConnect),
      unit: 'ms',
      target: '≤ 1000',
      ok: worstConnect <= 1000,
      note: `${HANDOVER_SAMPLES} handovers, 3 tabs; includes the reconnect backoff (≤ 500 ms jitter)`,
    })
    rows.push({
      bench,
      metric: 'handover: leader close → first message at new leader (median)',
      value: round(median(latency.firstMessage)),
      unit: 'ms',
      note: `max ${round(Math.max(...latency.firstMessage))} ms; = the line above + one connect + SUBSCRIBE`,
    })
    const qos1 = await handovers(env)
    rows.push({
      bench,
      metric: `QoS 1 publishes across ${HANDOVERS} handovers: lost`,
      value: qos1.lost,
      unit: 'msgs',
      target: '0',
      ok: qos1.lost === 0,
      note: `${qos1.sent} published by 2 followers during the leader's close`,
    })
    rows.push({
      bench,
      metric: `QoS 1 publishes across ${HANDOVERS} handovers: duplicated`,
      value: qos1.duplicated,
      unit: 'msgs',
      target: '0',
      ok: qos1.duplicated === 0,
      note: 'counted by an observer client with its own connection',
    })
    rows.push({
      bench,
      metric: `QoS 1 publishes across ${HANDOVERS} handovers: rejected`,
      value: qos1.failed,
      unit: 'msgs',
      target: '0',
      ok: qos1.failed === 0,
      note: 'publish() promises that did not resolve',
    })
  } finally {
    await env.close()
  }
  return rows
})
