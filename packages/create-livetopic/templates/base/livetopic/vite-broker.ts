import type { Plugin, PreviewServer, ViteDevServer } from 'vite'

const VIRTUAL_ID = 'virtual:livetopic'
const RESOLVED_ID = `\0${VIRTUAL_ID}`

/**
 * Starts the local stand-in inside `vite` (dev and preview) on 127.0.0.1:`LIVETOPIC_PORT` (default 8080)
 * and gives the page its URL: `import { brokerUrl } from 'virtual:livetopic'`. A build starts nothing.
 */
export function liveTopicBroker(port = Number(process.env.LIVETOPIC_PORT ?? 8080)): Plugin {
  const brokerUrl = `ws://127.0.0.1:${port}/mqtt`
  async function start(server: ViteDevServer | PreviewServer): Promise<void> {
    if (!server.httpServer) return
    // imported here: a build never loads the broker
    const { startAppBroker } = await import('./broker.js')
    const broker = await startAppBroker(port)
    server.httpServer.once('close', () => void broker.close())
    server.config.logger.info(`  livetopic  stand-in ${broker.url}   dashboard ${broker.httpUrl}/`)
  }
  return {
    name: 'livetopic-broker',
    resolveId: (id) => (id === VIRTUAL_ID ? RESOLVED_ID : undefined),
    load: (id) => (id === RESOLVED_ID ? `export const brokerUrl = ${JSON.stringify(brokerUrl)}\n` : undefined),
    configureServer: (server) => start(server),
    configurePreviewServer: (server) => start(server),
  }
}
