import { isUtf8 } from 'node:buffer'
import type { Client } from 'aedes'
import type { BrokerContext } from '../context.js'
import { IOT_LIMITS } from '../iot-limits.js'
import { markOversizedSubscribe } from '../iot-hooks.js'
import { parserOf, setServerKeepAlive, type ParserInternals } from './internals.js'
import type { SharedSubscriptions } from './shared-subscriptions.js'

/**
 * Looks at each packet as it leaves the parser, before aedes handles it: the checks aedes'
 * per-subscription hooks cannot make (the size of a whole SUBSCRIBE), IoT's keep-alive bounds,
 * the bytes a connection may send before it is authenticated, and MQTT's string rules.
 */
export function attachPacketChecks(client: Client, ctx: BrokerContext, shared: SharedSubscriptions): void {
  const parser = parserOf(client)
  capBytesBeforeConnect(client, parser, ctx)
  rejectMalformedStrings(client, parser, ctx)
  parser.prependListener('packet', (packet) => {
    // `$share/{group}/{filter}`, which aedes would refuse, becomes `{filter}` with its group kept aside
    if (packet.cmd === 'subscribe' || packet.cmd === 'unsubscribe') shared.rewrite(client, packet)
    if (packet.cmd === 'subscribe' && (packet.subscriptions?.length ?? 0) > IOT_LIMITS.maxFiltersPerSubscribe) {
      markOversizedSubscribe(packet.subscriptions!)
    }
    // IoT grants QoS 0 and 1 only: a QoS 2 request is granted (and served) as QoS 1
    if (packet.cmd === 'subscribe') for (const s of packet.subscriptions ?? []) if (s.qos > 1) s.qos = 1
    if (packet.cmd === 'connect' && !ctx.allowShortDurations && packet.keepalive !== undefined) {
      // IoT: below 30 s counts as 30 s; 0 (none) and above 1200 s count as 1200 s
      const k = packet.keepalive
      const applied = k === 0 || k > IOT_LIMITS.maxKeepAlive ? IOT_LIMITS.maxKeepAlive : Math.max(k, IOT_LIMITS.minKeepAlive)
      // MQTT 5 tells the client the keep-alive the server applies (CONNACK Server Keep Alive, §3.2.2.3.14)
      if (packet.protocolVersion === 5) {
        if (applied !== k) setServerKeepAlive(client, applied)
      } else packet.keepalive = applied
    }
  })
}

/**
 * Until its CONNECT is accepted, a connection may send at most {@link IOT_LIMITS.maxBytesBeforeConnect}:
 * the parser would otherwise buffer a CONNECT announcing 256 MB (and queue whatever follows it)
 * for anyone who can open a socket.
 */
function capBytesBeforeConnect(client: Client, parser: ParserInternals, ctx: BrokerContext): void {
  const parse = parser.parse.bind(parser)
  let received = 0
  parser.parse = (buf) => {
    received += buf.length
    if (received <= IOT_LIMITS.maxBytesBeforeConnect) return parse(buf)
    const reason = `more than ${IOT_LIMITS.maxBytesBeforeConnect} bytes before the CONNECT was accepted`
    ctx.events.emit('denied', { clientId: client.id ?? '', action: 'limit', resource: 'connection', reason })
    ctx.logger.warn(`closed a connection that sent ${reason}`)
    client.conn.destroy()
    parser.parse = () => 0
    return 0
  }
  client.once('connected', () => {
    parser.parse = parse
  })
}

/**
 * MQTT 3.1.1 §1.5.3: a string that is not well-formed UTF-8 or contains U+0000 is a protocol error
 * that closes the connection. mqtt-packet decodes with `toString('utf8')`, which turns bad bytes into
 * U+FFFD; so the raw bytes are checked whenever a U+FFFD appears.
 */
function rejectMalformedStrings(client: Client, parser: ParserInternals, ctx: BrokerContext): void {
  const parseString = parser._parseString
  parser._parseString = function (this: ParserInternals) {
    const start = this._pos
    const text = parseString.call(this)
    if (text === null) return null
    const malformed = text.includes('\u0000') || (text.includes('\uFFFD') && !isUtf8(this._list.slice(start + 2, this._pos)))
    if (!malformed) return text
    const reason = 'a string with invalid UTF-8 or U+0000 (MQTT 3.1.1 §1.5.3)'
    ctx.events.emit('denied', { clientId: client.id ?? '', action: 'limit', resource: 'packet', reason })
    ctx.logger.warn(`closed the connection of client ${client.id ?? '(before CONNECT)'}: ${reason}`)
    return null // the parser reports a malformed packet and aedes closes the connection
  }
}
