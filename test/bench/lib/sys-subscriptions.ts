import mqtt from 'mqtt'
import { sleep } from './stats.js'

/** Watches Mosquitto's `$SYS/broker/subscriptions/count` (needs `sys_interval`). */
export interface SubscriptionCounter {
  /** Latest count (the watcher's own subscription included). */
  readonly count: number
  /** Waits until the count has held still for `stableMs`, and returns it. */
  settle(stableMs?: number, timeoutMs?: number): Promise<number>
  close(): Promise<void>
}

export async function watchSubscriptions(tcpUrl: string): Promise<SubscriptionCounter> {
  const client = await mqtt.connectAsync(tcpUrl, { reconnectPeriod: 0 })
  let count = Number.NaN
  let changedAt = Date.now()
  client.on('message', (_topic, payload) => {
    const next = Number(payload.toString())
    if (next !== count) changedAt = Date.now()
    count = next
  })
  await client.subscribeAsync('$SYS/broker/subscriptions/count')
  return {
    get count() {
      return count
    },
    async settle(stableMs = 2500, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs
      while ((Number.isNaN(count) || Date.now() - changedAt < stableMs) && Date.now() < deadline) await sleep(100)
      return count
    },
    close: () => client.endAsync(),
  }
}
