import { afterEach } from 'vitest'
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import type { AuthorizerEvent, AuthorizerResponse, LifecycleEvent, RunningBroker } from '@livetopic/broker'

const clients = new Set<MqttClient>()

afterEach(async () => {
  await Promise.all([...clients].map((c) => c.endAsync(true).catch(() => {})))
  clients.clear()
})

/** Raw MQTT.js client (MQTT 3.1.1, no reconnect), closed after each test. Resolves on CONNACK 0, rejects with the refusal. */
export function connect(url: string, options: IClientOptions = {}): Promise<MqttClient> {
  const client = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...options })
  clients.add(client)
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client))
    client.once('error', reject)
    client.once('close', () => reject(new Error('closed before CONNACK')))
  })
}

/** Like {@link connect} but resolves with the CONNACK error code (or 'closed') of a refused connection. */
export async function refusal(url: string, options: IClientOptions = {}): Promise<number | string> {
  try {
    await connect(url, options)
  } catch (error) {
    return (error as { code?: number }).code ?? 'closed'
  }
  throw new Error('connection was accepted')
}

/** Resolves when the client's connection closes. */
export const closed = (client: MqttClient): Promise<void> =>
  client.connected || !client.disconnected ? new Promise((resolve) => client.once('close', () => resolve())) : Promise.resolve()

/** Collects messages (topic + text) a client receives. */
export function inbox(client: MqttClient): { topic: string; text: string; retain: boolean }[] {
  const seen: { topic: string; text: string; retain: boolean }[] = []
  client.on('message', (topic, payload, packet) => seen.push({ topic, text: payload.toString(), retain: packet.retain }))
  return seen
}

/** A policy document allowing (or denying) actions on resources, for authorizer responses. */
export function policy(...statements: { Effect?: 'Allow' | 'Deny'; Action: string | string[]; Resource: string | string[] }[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements.map((s) => ({ Effect: 'Allow', ...s })) })
}

/** ARN prefix of the broker's default region and account. */
export const ARN = 'arn:aws:iot:us-east-1:123456789012:'

/** An authorizer answering `response` (and recording every event it saw). */
export function recordingAuthorizer(response: Partial<AuthorizerResponse> | ((e: AuthorizerEvent) => Partial<AuthorizerResponse>)) {
  const events: AuthorizerEvent[] = []
  const authorizer = (event: AuthorizerEvent): AuthorizerResponse => {
    events.push(event)
    const r = typeof response === 'function' ? response(event) : response
    return { isAuthenticated: true, principalId: 'user1', policyDocuments: [], ...r }
  }
  return { authorizer, events }
}

/** Lifecycle events the broker emits, as they happen. */
export function lifecycleLog(broker: RunningBroker): LifecycleEvent[] {
  const log: LifecycleEvent[] = []
  broker.events.on('lifecycle', (e) => log.push(e))
  return log
}

/** Policy allowing everything for the client's own id and any topic. */
export const allowAll = policy({ Action: 'iot:*', Resource: '*' })
