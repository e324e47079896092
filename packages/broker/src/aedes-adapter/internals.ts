import type { Aedes, Client } from 'aedes'

// Every untyped field of aedes 1.2 (and mqtt-packet 9) the stand-in reads or replaces is named here;
// test/broker/aedes-internals.test.ts fails when one of them changes shape in an installed version.

/** The live client registered under an id, if any. */
export const clientById = (aedes: Aedes, clientId: string): Client | undefined =>
  (aedes as Aedes & { clients: Record<string, Client | undefined> }).clients[clientId]

/** Topic filters the client is subscribed to. */
export const subscriptionsOf = (client: Client): string[] => Object.keys((client as Client & { subscriptions: Record<string, unknown> }).subscriptions)

/** What identifies a QoS 1 message in aedes' session store (aedes-packet fields). */
export interface StoredPacket {
  brokerId?: string
  brokerCounter?: number
  qos?: number
  /** Given when the message is sent to this client; undefined while it waits. */
  messageId?: number
}

/** A persistent session's subscription as aedes' session store lists it. */
interface StoredSubscription {
  clientId: string
  /** The topic filter. */
  topic: string
  qos: number
}

/** The part of aedes' session store (aedes-persistence) the stand-in wraps. */
interface OutgoingStore {
  /** Stores a QoS 1 message for each of the (offline or online) persistent sessions subscribed to it. */
  outgoingEnqueueCombi(subs: StoredSubscription[], packet: StoredPacket & { topic: string }): Promise<unknown>
  /** Gives a stored message the packet id it is sent with (called just before it goes out). */
  outgoingUpdate(client: Client, packet: StoredPacket): Promise<unknown>
  /** Removes the message sent with `packet.messageId` (acknowledged, or not to be forwarded). */
  outgoingClearMessageId(client: Client, packet: StoredPacket): Promise<unknown>
}

export const persistenceOf = (aedes: Aedes): OutgoingStore => (aedes as Aedes & { persistence: OutgoingStore }).persistence

/** Whether the client sent DISCONNECT (aedes sets `_disconnected` then). */
export const sentDisconnect = (client: Client): boolean => (client as Client & { _disconnected?: boolean })._disconnected === true

/** Drops the client's will (the Data Plane's DeleteConnection with `preventWillMessage`). */
export const dropWill = (client: Client): void => {
  ;(client as Client & { will: unknown }).will = null
}

/** A delivery function of aedes' client: called by the message bus, `callback` when it is done with it. */
export type Deliver = (packet: StoredPacket, callback: () => void) => void

/** aedes' client with its delivery functions, which subscriptions capture when they are made. */
export type DeliveringClient = Client & { deliver0: Deliver; deliverQoS: Deliver }

/** A parsed packet as mqtt-packet hands it over, before aedes sees it. */
interface ParsedPacket {
  cmd: string
  keepalive?: number
  protocolVersion?: number
  messageId?: number
  subscriptions?: { qos: number; topic: string }[]
  unsubscriptions?: string[]
}

/** The parts of mqtt-packet's parser (v9) the packet checks hook into. */
export interface ParserInternals {
  prependListener(e: 'packet', f: (p: ParsedPacket) => void): void
  parse(buf: Buffer): number
  // a function property, not a method: it is detached and called with its parser as `this`
  _parseString: (this: ParserInternals) => string | null
  _pos: number
  _list: { slice(start: number, end: number): Buffer }
}

/** The mqtt-packet parser aedes made for the client (`_parser`). */
export const parserOf = (client: Client): ParserInternals => (client as Client & { _parser: ParserInternals })._parser

/**
 * The keep-alive aedes 2 applies to an MQTT 5 client and sends as CONNACK Server Keep Alive
 * (`_serverKeepAlive`, read by its connect handler after the 'packet' listeners run).
 */
export const setServerKeepAlive = (client: Client, seconds: number): void => {
  ;(client as Client & { _serverKeepAlive?: number })._serverKeepAlive = seconds
}
