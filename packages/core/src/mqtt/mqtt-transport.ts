// The one module that touches MQTT.js. Its browser build only has a default export.
import mqtt from 'mqtt'
import type { IClientOptions, MqttClient } from 'mqtt'
import { LiveTopicError } from '../errors.js'
import { publishFailure, type Transport, type TransportFactory, type TransportHandlers, type TransportOptions } from '../transport.js'
import { connackError, disconnectError, pubackError, upgradeError } from '../wire/reasons.js'

function reasonOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'number' ? code : undefined
}

/** Classifies what MQTT.js and the WebSocket report into our error codes (one table with the built-in transport). */
function classify(error: Error, connected: boolean): LiveTopicError {
  const code = reasonOf(error)
  const upgrade = upgradeError(error.message)
  if (upgrade) return upgrade
  if (/^Connection refused/.test(error.message) && code !== undefined) return connackError(code)
  if (/Keepalive timeout/.test(error.message))
    return new LiveTopicError('CONNECTION_LOST', 'no answer from the broker within the keep-alive period', { cause: error })
  return new LiveTopicError(connected ? 'CONNECTION_LOST' : 'CONNECTION_FAILED', error.message, { cause: error })
}

/**
 * Transport over MQTT.js: `createClient({ url, transport: mqttTransport })`. For QoS 2, or anyone
 * who prefers MQTT.js. One MqttClient for the client's life; livetopic drives reconnects.
 */
export const mqttTransport: TransportFactory = (options: TransportOptions, handlers: TransportHandlers): Transport => {
  let client: MqttClient | undefined
  let currentUrl = ''
  let connected = false
  let attemptError: LiveTopicError | undefined

  const watchStream = (): void => {
    // MQTT.js swallows stream errors without a code (e.g. a refused upgrade); keep them for onClose.
    client?.stream?.on('error', (error: Error) => {
      attemptError ??= classify(error, connected)
    })
  }

  const create = (url: string, credentials: { username?: string; password?: string }): MqttClient => {
    const clientOptions: IClientOptions = {
      clientId: options.clientId,
      protocolVersion: options.protocolVersion,
      keepalive: options.keepalive,
      clean: options.clean,
      reconnectPeriod: 0,
      resubscribe: false,
      manualConnect: true,
      connectTimeout: options.connectTimeout,
      queueQoSZero: false,
      // the URL provider may be async: livetopic resolves it first, MQTT.js reads it here
      transformWsUrl: () => currentUrl,
      wsOptions: options.wsHeaders ? { headers: options.wsHeaders } : {},
      ...(options.wsSubprotocol === 'mqttv3.1' ? { protocolId: 'MQIsdp' as const, protocolVersion: 3 as const } : {}),
      ...credentials,
    }
    // MQTT 5 ends a session at disconnect unless told otherwise; default to AWS IoT's 1 h
    if (options.protocolVersion === 5 && !options.clean) clientOptions.properties = { sessionExpiryInterval: options.sessionExpiryInterval ?? 3600 }
    if (options.will) clientOptions.will = { ...options.will, payload: options.will.payload as Buffer }
    const created = mqtt.connect(url, clientOptions)
    created.on('connect', (connack) => {
      connected = true
      attemptError = undefined
      handlers.onConnect(connack.sessionPresent)
    })
    created.on('message', (topic, payload, packet) => {
      handlers.onMessage(topic, payload, packet.qos, packet.retain)
    })
    created.on('error', (error) => {
      attemptError ??= classify(error, connected)
    })
    created.on('disconnect', (packet) => {
      const code = packet.reasonCode ?? 0
      if (code !== 0) attemptError = disconnectError(code)
    })
    created.on('close', () => {
      // Fail every unacknowledged publish: livetopic requeues them itself, in order, and must be
      // able to drop one the broker kicked us for (AWS IoT under MQTT 3.1.1) instead of MQTT.js
      // resending it into the same wall on every reconnect.
      for (const id of Object.keys(created.outgoing)) created.removeOutgoingMessage(Number(id))
      const error =
        attemptError ??
        (connected
          ? new LiveTopicError('CONNECTION_LOST', 'the connection to the broker closed')
          : new LiveTopicError('CONNECTION_FAILED', 'could not connect to the broker'))
      connected = false
      attemptError = undefined
      handlers.onClose(error)
    })
    return created
  }

  return {
    open(url, credentials) {
      currentUrl = url
      attemptError = undefined
      if (!client) {
        client = create(url, credentials)
        client.connect()
      } else {
        Object.assign(client.options, credentials)
        client.reconnect()
      }
      watchStream()
    },
    subscribe(subscriptions) {
      const target = client
      if (!target) return Promise.reject(new LiveTopicError('CONNECTION_LOST', 'not connected'))
      return new Promise<number[]>((resolve, reject) => {
        // a map, so each filter is subscribed with its own QoS; MQTT.js sends (and SUBACK answers)
        // in the map's key order, which puts integer-like filters first: map the codes back
        const map = Object.fromEntries(subscriptions.map((s) => [s.filter, { qos: s.qos }]))
        const order = Object.keys(map)
        target.subscribe(map, (error, granted, packet) => {
          // a failure code in SUBACK arrives as an error with the SUBACK attached; we want the codes
          const codes = packet?.granted ?? granted?.map((g) => g.qos)
          if (codes && codes.length === subscriptions.length) resolve(subscriptions.map((s) => Number(codes[order.indexOf(s.filter)])))
          else reject(new LiveTopicError('CONNECTION_LOST', error?.message ?? 'subscribe failed', { cause: error }))
        })
      }).then(undefined, (error: unknown) => {
        throw error instanceof LiveTopicError ? error : new LiveTopicError('CONNECTION_LOST', String(error))
      })
    },
    unsubscribe(filters) {
      const target = client
      if (!target) return Promise.resolve()
      return new Promise<void>((resolve) => {
        target.unsubscribe([...filters], () => resolve())
      })
    },
    publish(topic, payload, { qos, retain }) {
      const target = client
      if (!target) return Promise.reject(new LiveTopicError('CONNECTION_LOST', 'not connected', { topic }))
      return new Promise<void>((resolve, reject) => {
        target.publish(topic, payload as Buffer | string, { qos, retain }, (error) => {
          if (!error) return resolve()
          const code = reasonOf(error)
          // a failure reason from the broker is final; anything else (the socket closed) is retried
          reject(
            code === undefined
              ? publishFailure(new LiveTopicError('CONNECTION_LOST', `publish to "${topic}" failed: ${error.message}`, { topic, cause: error }), true)
              : publishFailure(pubackError(topic, code), false),
          )
        })
      })
    },
    close() {
      const target = client
      if (!target) return Promise.resolve()
      return new Promise<void>((resolve) => target.end(false, {}, () => resolve()))
    },
    abort() {
      client?.end(true)
    },
  }
}
