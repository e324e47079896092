import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import mqttPacket from 'mqtt-packet'

/**
 * What AWS IoT Core's MQTT 5 CONNACK says of its capabilities ("MQTT 5 supported features",
 * https://docs.aws.amazon.com/iot/latest/developerguide/mqtt.html): QoS 0 and 1 only, retained
 * messages, wildcard and shared subscriptions, and no subscription identifiers. aedes 2.0.0-beta.1
 * has no option for these and announces shared subscriptions as unavailable.
 */
export const IOT_CONNACK_CAPABILITIES = {
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
  properties?: Record<string, unknown>
}

/** Streams handed to aedes by the stand-in: only their CONNACKs are changed. */
const brokerStreams = new WeakSet<object>()
let installed = false

/**
 * Gives every MQTT 5 CONNACK the stand-in writes to `stream` IoT's capabilities. aedes builds the
 * CONNACK inside its connect handler and writes it with mqtt-packet's `writeToStream` (the module
 * object it imports, shared with this package: one copy, pinned), so the packet is completed there;
 * other writers (MQTT.js in the same process) are not concerned.
 */
export function announceIotCapabilities(stream: Duplex | Socket): void {
  brokerStreams.add(stream)
  if (installed) return
  installed = true
  const write: WriteToStream = mqttPacket.writeToStream
  const patched = ((packet: WrittenPacket, target: Duplex, options?: { protocolVersion?: number }) => {
    // a v5 CONNACK always has properties (aedes' `connackProperties` at least says shared subs are off)
    if (packet.cmd === 'connack' && (packet.reasonCode ?? 0) === 0 && packet.properties && brokerStreams.has(target)) {
      Object.assign(packet.properties, IOT_CONNACK_CAPABILITIES)
    }
    return write(packet as Parameters<WriteToStream>[0], target as Parameters<WriteToStream>[1], options)
  }) as WriteToStream
  ;(mqttPacket as { writeToStream: WriteToStream }).writeToStream = patched
}
