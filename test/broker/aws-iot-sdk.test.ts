// Issue #25 item 8: AWS IoT Device SDK v2's own builders (AWS Common Runtime) connect unchanged to the
// stand-in over TLS, WSS and plain TCP, with the custom-auth username they build and a real authorizer.
import { createSign, generateKeyPairSync } from 'node:crypto'
import type { AuthorizerEvent, AuthorizerResponse, RunningBroker } from '@livetopic/broker'
import { mqtt as crtMqtt } from 'aws-crt'
import { iot, mqtt, mqtt5 } from 'aws-iot-device-sdk-v2'
import { afterEach, describe, expect, it } from 'vitest'
import { useBroker } from '../helpers/broker.js'
import { eventually } from '../helpers/wait.js'
import { ARN, policy } from './support.js'

const AUTHORIZER = 'livetopic-authorizer'
const TOKEN = 'good-token-7f3a'
// the SDK's with_custom_authorizer passes a token in the username only signed (IoT's token signing)
const signingKeys = generateKeyPairSync('rsa', { modulusLength: 2048 })
const sign = (token: string): string => createSign('RSA-SHA256').update(token).sign(signingKeys.privateKey, 'base64')
const tokenSigning = { publicKeys: [signingKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString()] }

/** A real authorizer: only TOKEN gets in, and only to `rooms/<client id>` topics. */
function tokenAuthorizer(seen: AuthorizerEvent[]) {
  return (event: AuthorizerEvent): AuthorizerResponse => {
    seen.push(event)
    const clientId = event.protocolData.mqtt?.clientId ?? ''
    const ok = event.token === TOKEN
    return {
      isAuthenticated: ok,
      principalId: ok ? 'sdkuser' : 'nobody',
      disconnectAfterInSeconds: 3600,
      refreshAfterInSeconds: 3600,
      policyDocuments: ok
        ? [
            policy(
              { Action: 'iot:Connect', Resource: `${ARN}client/${clientId}` },
              { Action: ['iot:Publish', 'iot:Receive'], Resource: `${ARN}topic/rooms/${clientId}` },
              { Action: 'iot:Subscribe', Resource: `${ARN}topicfilter/rooms/${clientId}` },
            ),
          ]
        : [],
    }
  }
}

const connections: mqtt.MqttClientConnection[] = []
afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.disconnect().catch(() => {})))
})

async function tlsBroker(): Promise<{ broker: RunningBroker; ca: string; seen: AuthorizerEvent[] }> {
  const seen: AuthorizerEvent[] = []
  const broker = await useBroker({ tls: true, mqttPort: true, authorizer: tokenAuthorizer(seen), tokenSigning, logger: 'silent' })
  return { broker, ca: broker.tls!.caCertificate!, seen }
}

/** Connects an MQTT 3.1.1 connection, subscribes to its own topic, publishes there and resolves with what came back. */
async function roundTrip(config: mqtt.MqttConnectionConfig, client = new mqtt.MqttClient()): Promise<string> {
  const connection = client.new_connection(config)
  connections.push(connection)
  await connection.connect()
  const topic = `rooms/${config.client_id}`
  const received: string[] = []
  await connection.subscribe(topic, mqtt.QoS.AtLeastOnce, (_topic, payload) => received.push(Buffer.from(payload).toString()))
  await connection.publish(topic, `hello from ${config.client_id}`, mqtt.QoS.AtLeastOnce)
  await eventually(() => received.length > 0, 15_000, 'the message back')
  return received[0]!
}

describe('AWS IoT Device SDK v2 against the stand-in (MQTT 3.1.1 client)', () => {
  it('connects over MQTT over TLS with AwsIotMqttConnectionConfigBuilder + with_custom_authorizer, trusting the dev CA', async () => {
    const { broker, ca, seen } = await tlsBroker()
    const config = iot.AwsIotMqttConnectionConfigBuilder.new_default_builder()
      .with_custom_authorizer('', AUTHORIZER, sign(TOKEN), '', 'token', TOKEN)
      .with_endpoint('localhost')
      .with_port(broker.tls!.mqttPort)
      .with_certificate_authority(ca)
      .with_client_id('sdk-tls')
      .with_clean_session(true)
      .build()
    expect(await roundTrip(config)).toBe('hello from sdk-tls')
    // the username the SDK built reached the authorizer: the token came from its query
    expect(seen[0]!.token).toBe(TOKEN)
    expect(seen[0]!.signatureVerified).toBe(true)
    expect(seen[0]!.protocolData.mqtt?.username).toMatch(
      /^\?x-amz-customauthorizer-name=livetopic-authorizer&x-amz-customauthorizer-signature=.+&token=good-token-7f3a&SDK=/,
    )
  })

  it('connects over MQTT over WSS with new_builder_for_websocket + with_custom_authorizer', async () => {
    const { broker, ca, seen } = await tlsBroker()
    const config = iot.AwsIotMqttConnectionConfigBuilder.new_builder_for_websocket()
      .with_custom_authorizer('', AUTHORIZER, sign(TOKEN), '', 'token', TOKEN)
      .with_endpoint('localhost')
      .with_port(broker.tls!.wssPort)
      .with_certificate_authority(ca)
      .with_client_id('sdk-wss')
      .with_clean_session(true)
      .build()
    expect(await roundTrip(config)).toBe('hello from sdk-wss')
    expect(seen[0]!.protocols).toEqual(['tls', 'http', 'mqtt'])
  })

  it("connects over plain TCP: the Common Runtime's own client with the username the builder made (TLS taken out)", async () => {
    const { broker } = await tlsBroker()
    const built = iot.AwsIotMqttConnectionConfigBuilder.new_default_builder()
      .with_custom_authorizer('', AUTHORIZER, sign(TOKEN), '', 'token', TOKEN)
      .with_endpoint('127.0.0.1')
      .with_port(broker.mqttPort!)
      .with_client_id('sdk-tcp')
      .with_clean_session(true)
      .build()
    const config: mqtt.MqttConnectionConfig = { ...built, tls_ctx: undefined }
    expect(await roundTrip(config, new crtMqtt.MqttClient())).toBe('hello from sdk-tcp')
  })

  it('is refused with a wrong token over TLS: the authorizer decides', async () => {
    const { broker, ca, seen } = await tlsBroker()
    const config = iot.AwsIotMqttConnectionConfigBuilder.new_default_builder()
      .with_custom_authorizer('', AUTHORIZER, sign('wrong-token'), '', 'token', 'wrong-token')
      .with_endpoint('localhost')
      .with_port(broker.tls!.mqttPort)
      .with_certificate_authority(ca)
      .with_client_id('sdk-bad')
      .build()
    const connection = new mqtt.MqttClient().new_connection(config)
    connections.push(connection)
    // the CRT reports the CONNACK refusal (return code 5) as AWS_ERROR_MQTT_PROTOCOL_ERROR
    await expect(connection.connect()).rejects.toThrow(/Failed to connect/)
    expect(seen.map((e) => e.token)).toContain('wrong-token')
    expect(broker.connections()).toEqual([])
  })
})

describe('AWS IoT Device SDK v2 MQTT 5 client (the SDK default)', () => {
  // the stand-in speaks MQTT 5 (aedes 2): the SDK's default client connects as it would to IoT Core.
  // The signature goes in URI-encoded: the username query is URL-decoded (a raw base64 `+` becomes a space),
  // and unlike newDirectMqttBuilderWithCustomAuth, aws-crt's newWebsocketMqttBuilderWithCustomAuth does not
  // encode it for us (it skips canonicalizeCustomAuthConfig); both builders pass an encoded one (it has `%`) unchanged.
  const transports = [
    ['MQTT over TLS', 'newDirectMqttBuilderWithCustomAuth', (b: RunningBroker) => b.tls!.mqttPort],
    ['MQTT over WSS', 'newWebsocketMqttBuilderWithCustomAuth', (b: RunningBroker) => b.tls!.wssPort],
  ] as const
  it.each(transports)('connects over %s with AwsIotMqtt5ClientConfigBuilder.%s', async (_name, make, port) => {
    const { broker, ca, seen } = await tlsBroker()
    const clientId = `sdk5-${make.length}`
    const builder = iot.AwsIotMqtt5ClientConfigBuilder[make]('localhost', {
      authorizerName: AUTHORIZER,
      tokenKeyName: 'token',
      tokenValue: TOKEN,
      tokenSignature: encodeURIComponent(sign(TOKEN)),
    })
    builder.withPort(port(broker)).withCertificateAuthority(ca).withConnectProperties({ keepAliveIntervalSeconds: 60, clientId })
    const client = new mqtt5.Mqtt5Client(builder.build())
    try {
      const connected = new Promise<void>((resolve, reject) => {
        client.once('connectionSuccess', () => resolve())
        client.once('connectionFailure', (e: mqtt5.ConnectionFailureEvent) => reject(new Error(e.error.error_name ?? 'connection failure')))
      })
      client.start()
      await connected
      const received: string[] = []
      client.on('messageReceived', (e) => received.push(Buffer.from(e.message.payload as ArrayBuffer).toString()))
      await client.subscribe({ subscriptions: [{ topicFilter: `rooms/${clientId}`, qos: mqtt5.QoS.AtLeastOnce }] })
      await client.publish({ topicName: `rooms/${clientId}`, qos: mqtt5.QoS.AtLeastOnce, payload: 'hello 5' })
      await eventually(() => received.length > 0, 15_000, 'the message back')
      expect(received[0]).toBe('hello 5')
      // the signature checked out and the authorizer got the token from the username query
      expect(seen[0]!.signatureVerified).toBe(true)
      expect(seen[0]!.token).toBe(TOKEN)
    } finally {
      client.stop()
      client.close()
    }
  })
})
