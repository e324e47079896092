#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { loadAuthorizer, loadConfig, loadRules } from './cli-config.js'
import { runTestAuthorizerCli } from './cli-test-authorizer.js'
import { startBroker, type BrokerOptions } from './start-broker.js'
import { TLS_FLAGS, TLS_USAGE, tlsBannerLines, tlsOptionsFromFlags } from './tls/cli-tls.js'

const USAGE = `Usage: livetopic-broker [options]
  --port 8080            HTTP + WebSocket port (0 picks a free one)
  --host 127.0.0.1       interface to bind (default: this machine only)
  --mqtt-port 1883       also accept plain MQTT over TCP
${TLS_USAGE}  --authorizer file.js   custom authorizer (default export: function(event) => IoT response)
  --rules file.js        topic rules (default export: [{ sql, republish | action }])
  --config file          JSON or JS module with startBroker options (flags win)
  --http-token token     require "Authorization: Bearer <token>" on the HTTP API
  --no-dashboard         do not serve the dashboard
  --allow-remote-dashboard  serve the dashboard although --host is not loopback (its page holds a key past the authorizer)
  --allowed-host name    another Host name requests may use (repeatable; name or name:port)
  --allowed-origin url   another page origin allowed while authorization is off (repeatable)
       livetopic-broker test-authorizer --help   (invoke an authorizer as IoT would, check actions)
`

if (process.argv[2] === 'test-authorizer') {
  const write =
    (stream: NodeJS.WriteStream) =>
    (text: string): void =>
      void stream.write(text)
  // exit at once: an authorizer that timed out may still hold a timer
  process.exit(await runTestAuthorizerCli(process.argv.slice(3), write(process.stdout), write(process.stderr)))
}

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'mqtt-port': { type: 'string' },
    authorizer: { type: 'string' },
    rules: { type: 'string' },
    config: { type: 'string' },
    'http-token': { type: 'string' },
    'no-dashboard': { type: 'boolean' },
    'allow-remote-dashboard': { type: 'boolean' },
    'allowed-host': { type: 'string', multiple: true },
    'allowed-origin': { type: 'string', multiple: true },
    ...TLS_FLAGS,
    help: { type: 'boolean', short: 'h' },
  },
})

if (values.help) {
  process.stdout.write(USAGE)
  process.exit(0)
}

try {
  const config: BrokerOptions = values.config ? await loadConfig(values.config) : {}
  const tls = await tlsOptionsFromFlags(values, config.tls)
  const options: BrokerOptions = {
    ...config,
    ...(tls !== undefined ? { tls } : {}),
    port: values.port !== undefined ? Number(values.port) : (config.port ?? 8080),
    host: values.host ?? config.host ?? '127.0.0.1',
    ...(values['mqtt-port'] !== undefined ? { mqttPort: Number(values['mqtt-port']) } : {}),
    ...(values.authorizer ? { authorizer: await loadAuthorizer(values.authorizer) } : {}),
    ...(values.rules ? { rules: await loadRules(values.rules) } : {}),
    ...(values['http-token'] ? { httpToken: values['http-token'] } : {}),
    ...(values['no-dashboard'] ? { dashboard: false } : {}),
    ...(values['allow-remote-dashboard'] ? { allowRemoteDashboard: true } : {}),
    ...(values['allowed-host'] ? { allowedHosts: values['allowed-host'] } : {}),
    ...(values['allowed-origin'] ? { allowedOrigins: values['allowed-origin'] } : {}),
    logger: config.logger === 'silent' ? 'silent' : { info: () => {}, warn: (m) => process.stderr.write(`${m}\n`) },
  }
  const broker = await startBroker(options)
  const lines = [
    'livetopic broker (local AWS IoT Core stand-in, MQTT 3.1.1 and 5)',
    `  MQTT over WebSocket: ${broker.url}`,
    `  HTTP API:            ${broker.httpUrl} (IoT Data Plane: POST /topics/{topic})`,
    // the token is the user's own secret: named, never printed
    ...(options.dashboard === false ? [] : [`  Dashboard:           ${broker.httpUrl}/${options.httpToken ? '?token=<your --http-token>' : ''}`]),
    ...(broker.mqttPort ? [`  MQTT over TCP:       mqtt://${broker.host}:${broker.mqttPort}`] : []),
    ...tlsBannerLines(broker.tls),
    broker.authorization
      ? `  Authorization:       on (custom authorizer${values.authorizer ? ` ${values.authorizer}` : ''}, IoT policies enforced)`
      : '  Authorization:       off (no authorizer: every client may do everything)',
    ...(options.rules?.length ? [`  Rules:               ${options.rules.length}`] : []),
    'Press Ctrl-C to stop.',
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
  const stop = (): void => {
    void broker.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
} catch (error) {
  process.stderr.write(`livetopic-broker: ${(error as Error).message}\n`)
  process.exit(1)
}
