import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { announce, dataPlaneClient } from '../../examples/shared/backend.js'
import { launchChromium } from '../e2e/support/chromium.js'
import { ExampleBroker } from '../e2e/support/example-broker.js'
import { ExamplePage } from '../e2e/support/page.js'
import { ensureBuilt, startSsrApp, type SsrApp } from './support/ssr-app.js'
import { describeSsrExample } from './support/ssr-example-spec.js'

describeSsrExample('nuxt')

// what the harness leaves to each framework: no state shared between requests, the Vite
// examples' flows (a refused publish, a broker restart), and a viewer whose clock and language
// are not the server's
describe('nuxt example: per-request sessions, the Vite examples’ flows, another time zone', () => {
  let broker: ExampleBroker
  let app: SsrApp
  let browser: Browser
  const tabs: ExamplePage[] = []

  beforeAll(async () => {
    // built by describeSsrExample above, unless only these tests run
    if (!existsSync(fileURLToPath(new URL('../../examples/nuxt/.output/server/index.mjs', import.meta.url)))) ensureBuilt('nuxt')
    broker = await ExampleBroker.start()
    ;[app, browser] = await Promise.all([startSsrApp('nuxt', broker), launchChromium()])
  }, 240_000)

  afterAll(async () => {
    await Promise.all(tabs.map((t) => t.close().catch(() => {})))
    await browser?.close()
    await app?.close()
    await broker?.stop()
  })

  it('renders each of many concurrent requests with its own session (no cross-request state)', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `User${i}`)
    const pages = await Promise.all(names.map(async (name) => (await fetch(`${app.url}?name=${name}`)).text()))
    pages.forEach((html, i) => {
      expect(html).toContain(`Signed in as <strong>${names[i]}</strong>`)
      // the browser signs the name in (its client id comes from that sign-in): no other request's name here
      for (const other of names) if (other !== names[i]) expect(html).not.toMatch(new RegExp(`[>"]${other}[<"]`))
    })
  })

  it('survives a refused publish and a broker restart, as the Vite examples do', async () => {
    const alice = await ExamplePage.join(browser, app.url, 'Alice')
    const bob = await ExamplePage.join(browser, app.url, 'Bob')
    tabs.push(alice, bob)
    await Promise.all([alice.seesOnline('Bob'), bob.seesOnline('Alice')])

    const refusal = await alice.publishForbidden()
    expect(refusal).toMatch(/not allowed/i)
    await alice.connection('connected')
    await alice.send('still here after the refusal')
    await bob.seesMessage('still here after the refusal')

    await broker.stop()
    await Promise.all([alice.connection('reconnecting'), bob.connection('reconnecting')])
    await broker.startAgain()
    await Promise.all([alice.connection('connected'), bob.connection('connected')])
    await bob.send('back after the restart')
    await alice.seesMessage('back after the restart')
  })

  it('hydrates without a warning for a viewer in another time zone and locale, and shows their clock', async () => {
    const timeZone = 'Pacific/Kiritimati' // UTC+14: no server's zone
    const locale = 'de-DE'
    const sdk = dataPlaneClient(broker.httpUrl)
    let at: number
    try {
      ;({ at } = await announce(sdk, 'Across time zones'))
    } finally {
      sdk.destroy()
    }
    const context = await browser.newContext({ timezoneId: timeZone, locale })
    try {
      const page = await context.newPage()
      const problems = consoleProblems(page)
      await page.goto(`${app.url}?name=Kiri`)
      await page.locator('[role="status"][aria-label="Connection"][data-status="connected"]').waitFor()
      const viewerTime = new Date(at).toLocaleTimeString(locale, { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit' })
      await expect(page.locator('section[aria-label="Announcement"] time').textContent()).resolves.toBe(viewerTime)
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })
})

function consoleProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  return problems
}
