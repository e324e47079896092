// tsx with-broker.ts -- <command> [args]: runs a framework's server next to the local IoT Core
// stand-in, as the Vite examples' plugin does. Next.js, Nuxt and SvelteKit read the broker's
// address from LIVETOPIC_BROKER_URL / LIVETOPIC_BROKER_HTTP_URL at request time, so one command
// starts both and Ctrl-C stops both.
import { spawn } from 'node:child_process'
import { brokerEndpoint } from '../broker-env.js'
import { startExampleBroker } from '../broker-setup.js'

const separator = process.argv.indexOf('--')
const [command, ...args] = separator === -1 ? process.argv.slice(2) : process.argv.slice(separator + 1)
if (!command) {
  process.stderr.write('Usage: tsx examples/shared/scripts/with-broker.ts -- <command> [args]\n')
  process.exit(2)
}

const endpoint = brokerEndpoint()
// LIVETOPIC_BROKER_URL set: the broker runs elsewhere (a test, or AWS); start none here
const broker =
  endpoint.port === undefined
    ? undefined
    : await startExampleBroker(endpoint.port).catch((error: NodeJS.ErrnoException) => {
        const busy = error.code === 'EADDRINUSE'
        process.stderr.write(
          busy
            ? `port ${endpoint.port} is taken: stop the other broker or set LIVETOPIC_PORT to a free port\n`
            : `could not start the livetopic broker: ${error.message}\n`,
        )
        process.exit(1)
      })
if (broker) {
  process.stdout.write(`  livetopic broker  MQTT over WebSocket ${broker.url}\n`)
  process.stdout.write(`                    IoT Data Plane API  ${broker.httpUrl}  (npm run announce -- "text", npm run telemetry)\n`)
}

const child = spawn(command, args, {
  stdio: 'inherit',
  // npm scripts put node_modules/.bin on PATH; a shell is not needed and would re-split arguments
  env: { ...process.env, LIVETOPIC_BROKER_URL: endpoint.url, LIVETOPIC_BROKER_HTTP_URL: endpoint.httpUrl },
})

const forward = (signal: NodeJS.Signals): void => void child.kill(signal)
process.on('SIGINT', forward)
process.on('SIGTERM', forward)

child.on('exit', (code, signal) => {
  void (async () => {
    await broker?.close()
    process.exitCode = code ?? (signal ? 1 : 0)
  })()
})
child.on('error', (error) => {
  process.stderr.write(`could not run ${command}: ${error.message}\n`)
  void broker?.close().finally(() => process.exit(1))
})
