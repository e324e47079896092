// `npm run dev`'s loop, as the README promises it: the React example's Vite dev server starts its own
// broker (from the packages' sources, through tsx) and serves the packages' sources through the
// `livetopic-source` export condition, so no `npm run build` is needed and an edit reloads the page.
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { createServer, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../helpers/free-port.js'
import { launchChromium } from './support/chromium.js'
import { ExamplePage } from './support/page.js'

const root = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url))

describe('npm run dev (React example, Vite dev server)', () => {
  let server: ViteDevServer
  let browser: Browser
  let url: string
  let brokerPort: number
  const saved = process.env.LIVETOPIC_PORT

  beforeAll(async () => {
    brokerPort = await freePort()
    const port = await freePort()
    // the example's plugin starts the broker on LIVETOPIC_PORT when Vite loads the config
    process.env.LIVETOPIC_PORT = String(brokerPort)
    server = await createServer({
      configFile: root('examples/react/vite.config.ts'),
      root: root('examples/react'),
      logLevel: 'warn',
      server: { host: '127.0.0.1', port, strictPort: true },
    })
    await server.listen()
    url = `http://127.0.0.1:${port}/`
    browser = await launchChromium()
  }, 120_000)

  afterAll(async () => {
    if (saved === undefined) delete process.env.LIVETOPIC_PORT
    else process.env.LIVETOPIC_PORT = saved
    await browser?.close()
    await server?.close()
  })

  it('serves the packages from their sources, not dist/', async () => {
    const app = await (await fetch(`${url}src/App.tsx`)).text()
    expect(app).toContain('/packages/react/src/index.ts')
    expect(app).not.toContain('/packages/react/dist/')
  })

  it('starts the stand-in with its dashboard, and a user signs in and chats', async () => {
    const home = await fetch(`http://127.0.0.1:${brokerPort}/`)
    expect(home.status).toBe(200)
    const bundle = await fetch(`http://127.0.0.1:${brokerPort}/dashboard/livetopic.js`)
    expect(bundle.status).toBe(200)
    expect((await bundle.text()).length).toBeGreaterThan(10_000)

    const ada = await ExamplePage.join(browser, url, 'Ada')
    try {
      await ada.send('hello from the dev server')
      await ada.seesMessage('hello from the dev server')
    } finally {
      await ada.close()
    }
  }, 90_000)
})
