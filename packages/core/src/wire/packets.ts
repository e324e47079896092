import type { Properties } from './properties.js'

/** 3 = MQTT 3.1 (`MQIsdp`, subprotocol `mqttv3.1`), 4 = MQTT 3.1.1, 5 = MQTT 5. */
export type ProtocolLevel = 3 | 4 | 5
export type WireQoS = 0 | 1 | 2

export interface ConnectPacket {
  level: ProtocolLevel
  clientId: string
  clean: boolean
  keepalive: number
  username?: string
  password?: Uint8Array
  will?: { topic: string; payload: Uint8Array; qos: WireQoS; retain: boolean; properties?: Properties }
  properties?: Properties
}

export interface PublishPacket {
  type: 'publish'
  topic: string
  payload: Uint8Array
  qos: WireQoS
  retain: boolean
  dup: boolean
  /** Present for QoS 1 and 2. */
  id?: number
  properties?: Properties
}

/** PUBACK, PUBREC, PUBREL, PUBCOMP: a packet id and (MQTT 5) a reason code. */
export interface AckPacket {
  type: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp'
  id: number
  reasonCode: number
  properties?: Properties
}

export interface SubscribePacket {
  id: number
  subscriptions: { topic: string; qos: WireQoS; nl?: boolean; rap?: boolean; rh?: number }[]
  properties?: Properties
}

export interface UnsubscribePacket {
  id: number
  topics: string[]
  properties?: Properties
}

/** What a broker sends a client. */
export type IncomingPacket =
  | { type: 'connack'; sessionPresent: boolean; reasonCode: number; properties?: Properties }
  | PublishPacket
  | AckPacket
  | { type: 'suback' | 'unsuback'; id: number; codes: number[]; properties?: Properties }
  | { type: 'pingresp' }
  | { type: 'disconnect'; reasonCode: number; properties?: Properties }
