// Presence with member state in real Chromium: two browser contexts (two people), each a React
// page with usePresence + retainedPresence, on a real Mosquitto over WebSocket. One changes its
// status, one's socket dies and it comes back, one closes its tab: the will clears it.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMosquitto, type RunningMosquitto } from '../helpers/mosquitto.js'
import { SOURCE_CONDITION } from '../helpers/source-entries.js'
import { launchChromium } from './support/chromium.js'

const root = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url))

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [root('test/e2e/support/presence-page.tsx')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    conditions: [SOURCE_CONDITION],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  })
  return result.outputFiles[0]!.text
}

/** Serves the page on 127.0.0.1, to its own Host only (no DNS rebinding). */
async function servePage(script: string): Promise<{ origin: string; server: Server }> {
  let origin = ''
  const server = createServer((req, res) => {
    if (`http://${req.headers.host ?? ''}` !== origin) return void res.writeHead(403).end()
    if (req.url?.startsWith('/app.js')) return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>presence</title><div id="root"></div><script type="module" src="/app.js"></script>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { origin, server }
}

describe('usePresence in Chromium on Mosquitto (retained announcements + will)', () => {
  let mosquitto: RunningMosquitto
  let browser: Browser
  let page: { origin: string; server: Server }

  beforeAll(async () => {
    ;[mosquitto, browser, page] = await Promise.all([startMosquitto(), launchChromium(), bundle().then(servePage)])
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => page?.server.close(resolve))
    await mosquitto?.stop()
  })

  async function person(id: string, reconnect = 50): Promise<Page> {
    const context = await browser.newContext()
    const tab = await context.newPage()
    await tab.goto(`${page.origin}/?${new URLSearchParams({ id, broker: mosquitto.url, reconnect: String(reconnect) })}`)
    return tab
  }
  const roster = (tab: Page): Promise<string[]> => tab.getByRole('list', { name: 'members' }).getByRole('listitem').allTextContents()
  async function sees(tab: Page, expected: string[]): Promise<void> {
    const end = Date.now() + 20_000
    let last: string[] = []
    while (Date.now() < end) {
      last = await roster(tab)
      if (JSON.stringify([...last].sort()) === JSON.stringify([...expected].sort())) return
      await tab.waitForTimeout(50)
    }
    expect([...last].sort()).toEqual([...expected].sort())
  }

  it('shows each member’s status; a dead socket leaves and comes back; a closed tab is cleared by its will', async () => {
    const ann = await person('ann', 2500)
    await sees(ann, ['ann:here (you)'])
    const bob = await person('bob')
    // bob opened later: ann's retained announcement reaches him
    await sees(bob, ['ann:here', 'bob:here (you)'])
    await sees(ann, ['ann:here (you)', 'bob:here'])

    await ann.evaluate(() => window.presence.update('typing'))
    await sees(bob, ['ann:typing', 'bob:here (you)'])

    // ann's socket dies without an MQTT DISCONNECT: her will clears her for bob...
    await ann.evaluate(() => window.presence.kill())
    await sees(bob, ['bob:here (you)'])
    // ...and once her network is back her client reconnects (within 2.5 s) and announces her status again
    await ann.evaluate(() => window.presence.revive())
    await sees(bob, ['ann:typing', 'bob:here (you)'])

    // bob closes his tab: nothing says goodbye, the will does
    await bob.context().close()
    await sees(ann, ['ann:typing (you)'])
    await ann.context().close()
  })
})
