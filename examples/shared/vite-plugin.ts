import { existsSync } from 'node:fs'
import { register } from 'node:module'
import { fileURLToPath } from 'node:url'
import { defaultClientConditions, type Plugin, type PreviewServer, type ViteDevServer } from 'vite'
import { brokerEndpoint, type BrokerEndpoint } from './broker-env.js'

// Every @livetopic package maps this export condition to its sources (package.json `exports`)
const SOURCE_CONDITION = 'livetopic-source'
const ROOT_TSCONFIG = fileURLToPath(new URL('../../tsconfig.json', import.meta.url))

const VIRTUAL_ID = 'virtual:livetopic-broker'
const RESOLVED_ID = `\0${VIRTUAL_ID}`

type BrokerSetup = typeof import('./broker-setup.js')

// Node's resolution of @livetopic/* with the source condition first (tsx reads tsconfig's paths, not
// its customConditions); the other conditions as they were
const SOURCE_HOOK = `export const resolve = (specifier, context, next) => next(specifier, specifier.startsWith('@livetopic/')
  ? { ...context, conditions: ['${SOURCE_CONDITION}', ...context.conditions] } : context)`
let sourceHook = false

/**
 * The example's broker setup, run through tsx. In this repository with the packages' sources (their
 * `livetopic-source` export condition): `npm run dev` needs no build, and a restart picks up an edit to
 * the broker.
 */
async function loadBrokerSetup(): Promise<BrokerSetup> {
  const { tsImport } = await import('tsx/esm/api')
  const inRepository = existsSync(ROOT_TSCONFIG)
  if (inRepository && !sourceHook) register(`data:text/javascript,${encodeURIComponent(SOURCE_HOOK)}`)
  sourceHook ||= inRepository
  const tsconfig = inRepository ? { tsconfig: ROOT_TSCONFIG } : {}
  return (await tsImport('./broker-setup.ts', { parentURL: import.meta.url, ...tsconfig })) as BrokerSetup
}

/**
 * Starts the local IoT Core stand-in inside the Vite dev (or preview) server, on a fixed port of
 * 127.0.0.1, with the example's authorizer and rules, and gives the app its URLs through
 * `import { brokerUrl, httpUrl } from 'virtual:livetopic-broker'`.
 */
export function liveTopicBroker(endpoint: BrokerEndpoint = brokerEndpoint()): Plugin {
  async function start(server: ViteDevServer | PreviewServer): Promise<void> {
    if (endpoint.port === undefined || !server.httpServer) return
    // imported here so a build (or an e2e run with its own broker) never loads the broker
    const { startExampleBroker } = await loadBrokerSetup()
    let broker: Awaited<ReturnType<typeof startExampleBroker>>
    try {
      broker = await startExampleBroker(endpoint.port)
    } catch (error) {
      const busy = (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
      throw new Error(
        busy
          ? `port ${endpoint.port} is taken: stop the other broker or set LIVETOPIC_PORT to a free port`
          : `could not start the livetopic broker: ${(error as Error).message}`,
        { cause: error },
      )
    }
    server.httpServer.once('close', () => void broker.close())
    const info = (line: string): void => server.config.logger.info(line)
    info(`  livetopic broker  MQTT over WebSocket ${broker.url}`)
    info(`                    IoT Data Plane API  ${broker.httpUrl}  (npm run announce -- "text", npm run telemetry)`)
    info(`                    dashboard           ${broker.httpUrl}/`)
  }

  return {
    name: 'livetopic-broker',
    // the dev server serves the packages' sources: an edit in packages/*/src reloads the page, no build
    config: (_config, env) =>
      env.command === 'serve' && !env.isPreview && existsSync(ROOT_TSCONFIG)
        ? { resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] } }
        : undefined,
    resolveId: (id) => (id === VIRTUAL_ID ? RESOLVED_ID : undefined),
    load: (id) =>
      id === RESOLVED_ID ? `export const brokerUrl = ${JSON.stringify(endpoint.url)}\nexport const httpUrl = ${JSON.stringify(endpoint.httpUrl)}\n` : undefined,
    configureServer: (server) => start(server),
    configurePreviewServer: (server) => start(server),
  }
}
