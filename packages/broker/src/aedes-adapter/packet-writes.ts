import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import mqttPacket from 'mqtt-packet'
import type { InFlightWindow } from './outgoing-queue.js'

/**
 * What AWS IoT Core's MQTT 5 CONNACK says of its capabilities ("MQTT 5 supported features",
 * https://docs.aws.amazon.com/iot/latest/developerguide/mqtt.html): QoS 0 and 1 only, retained
 * messages, wildcard and shared subscriptions, and no subscription identifiers. aedes 2.0.0-beta.1
 * has no option for these and announces shared subscriptions as unavailable.
 */
const IOT_CONNACK_CAPABILITIES = {
  maximumQoS: 1,
  retainAvailable: true,
  wildcardSubscriptionAvailable: true,
  subscriptionIdentifiersAvailable: false,
  sharedSubscriptionAvailable: true,
} as const

type WriteToStream = typeof mqttPacket.writeToStream
interface WrittenPacket {
  cmd: string
  reasonCode?: number
  qos?: number
  messageId?: number
  properties?: Record<string, unknown>
}

/** Streams handed to aedes by the stand-in, with their in-flight window: only their packets are looked at. */
const brokerStreams = new WeakMap<object, InFlightWindow>()
let installed = false

/**
 * Watches every packet aedes writes to `stream`: an MQTT 5 CONNACK gets IoT's capabilities, and a
 * QoS 1 PUBLISH past the client's Receive Maximum waits in `window` for a PUBACK. aedes writes all
 * its packets (live deliveries, a resumed session's queue, acks) with mqtt-packet's `writeToStream`,
 * through the module object it imports, which is this package's one pinned copy; so that is the one
 * place that sees them all. Other writers in the process (MQTT.js) are not concerned.
 */
export function watchPacketWrites(stream: Duplex | Socket, window: InFlightWindow): void {
  brokerStreams.set(stream, window)
  if (installed) return
  installed = true
  const write: WriteToStream = mqttPacket.writeToStream
  const patched = ((packet: WrittenPacket, target: Duplex, options?: { protocolVersion?: number }) => {
    const window = brokerStreams.get(target)
    const send = (): boolean => write(packet as Parameters<WriteToStream>[0], target as Parameters<WriteToStream>[1], options)
    if (!window) return send()
    // a v5 CONNACK always has properties (aedes' own say shared subscriptions are off)
    if (packet.cmd === 'connack' && (packet.reasonCode ?? 0) === 0 && packet.properties) {
      Object.assign(packet.properties, IOT_CONNACK_CAPABILITIES)
    }
    if (packet.cmd === 'publish' && (packet.qos ?? 0) > 0 && packet.messageId !== undefined) {
      return window.send(packet.messageId, send) // true: a held packet never makes aedes wait for 'drain'
    }
    return send()
  }) as WriteToStream
  ;(mqttPacket as { writeToStream: WriteToStream }).writeToStream = patched
}
