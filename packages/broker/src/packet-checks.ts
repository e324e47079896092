import type { Client } from 'aedes'
import { IOT_LIMITS } from './iot-limits.js'
import { markOversizedSubscribe } from './iot-hooks.js'

interface ParsedPacket {
  cmd: string
  keepalive?: number
  subscriptions?: { qos: number }[]
}

/**
 * Looks at each packet as it leaves the parser, before aedes handles it: the checks aedes'
 * per-subscription hooks cannot make (the size of a whole SUBSCRIBE) and IoT's keep-alive bounds.
 */
export function attachPacketChecks(client: Client, allowShortDurations: boolean): void {
  const parser = (client as Client & { _parser: { prependListener(e: 'packet', f: (p: ParsedPacket) => void): void } })._parser
  parser.prependListener('packet', (packet) => {
    if (packet.cmd === 'subscribe' && (packet.subscriptions?.length ?? 0) > IOT_LIMITS.maxFiltersPerSubscribe) {
      markOversizedSubscribe(packet.subscriptions!)
    }
    // IoT grants QoS 0 and 1 only: a QoS 2 request is granted (and served) as QoS 1
    if (packet.cmd === 'subscribe') for (const s of packet.subscriptions ?? []) if (s.qos > 1) s.qos = 1
    if (packet.cmd === 'connect' && !allowShortDurations && packet.keepalive !== undefined) {
      // IoT: below 30 s counts as 30 s; 0 (none) and above 1200 s count as 1200 s
      const k = packet.keepalive
      packet.keepalive = k === 0 || k > IOT_LIMITS.maxKeepAlive ? IOT_LIMITS.maxKeepAlive : Math.max(k, IOT_LIMITS.minKeepAlive)
    }
  })
}
