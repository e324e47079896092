import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { announce, dataPlaneClient } from '../../examples/shared/backend.js'
import { launchChromium } from '../e2e/support/chromium.js'
import { ExampleBroker } from '../e2e/support/example-broker.js'
import { ensureBuilt, startSsrApp, type SsrApp } from './support/ssr-app.js'
import { describeSsrExample } from './support/ssr-example-spec.js'

describeSsrExample('nuxt')

// a viewer whose clock and language are not the server's: the announcement's time differs
// between the server's HTML and the browser's render, which must not count as a hydration mismatch
describe('nuxt example: a viewer in another time zone and locale than the server', () => {
  let broker: ExampleBroker
  let app: SsrApp
  let browser: Browser
  const timeZone = 'Pacific/Kiritimati' // UTC+14: no server's zone
  const locale = 'de-DE'

  beforeAll(async () => {
    if (!existsSync(fileURLToPath(new URL('../../examples/nuxt/.output/server/index.mjs', import.meta.url)))) ensureBuilt('nuxt')
    broker = await ExampleBroker.start()
    ;[app, browser] = await Promise.all([startSsrApp('nuxt', broker), launchChromium()])
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await broker?.stop()
  })

  it('hydrates without a warning and shows the time on the viewer’s clock', async () => {
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
