import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { announce, dataPlaneClient } from '../../examples/shared/backend.js'
import { launchChromium } from '../e2e/support/chromium.js'
import { ExampleBroker } from '../e2e/support/example-broker.js'
import { ExamplePage } from '../e2e/support/page.js'
import { startTelemetryDevice } from '../../examples/shared/telemetry-device.js'
import { describeSsrExample } from './support/ssr-example-spec.js'
import { startSsrApp, type SsrApp } from './support/ssr-app.js'

describeSsrExample('sveltekit')

// SvelteKit-only: the tab title comes from a `.svelte.ts` module (runes), and every request renders
// with its own client. Runs after the suite above, which built the app.
describe('sveltekit example: runes module and one client per request', () => {
  let broker: ExampleBroker
  let app: SsrApp
  let browser: Browser

  beforeAll(async () => {
    broker = await ExampleBroker.start()
    const sdk = dataPlaneClient(broker.httpUrl)
    try {
      await announce(sdk, 'Title from the seed')
    } finally {
      sdk.destroy()
    }
    ;[app, browser] = await Promise.all([startSsrApp('sveltekit', broker), launchChromium()])
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await broker?.stop()
  })

  it('renders requests side by side, each with its own session', async () => {
    const names = ['Ada', 'Bob', 'Cy', 'Dee', 'Eve', 'Fay']
    const pages = await Promise.all(names.map(async (name) => (await fetch(`${app.url}?name=${name}`)).text()))
    pages.forEach((html, i) => {
      const signedIn = [...html.matchAll(/Signed in as <strong>(\w+)<\/strong>/g)].map((m) => m[1])
      expect(signedIn).toEqual([names[i]])
    })
    // the browser signs the name in (its client id comes from that sign-in): no other request's name in the data
    pages.forEach((html, i) => {
      for (const other of names) if (other !== names[i]) expect(html).not.toContain(`name:"${other}"`)
      expect(html).toContain(`name:"${names[i]}"`)
    })
  })

  it('puts the seeded announcement in the title on the server, then keeps the title live', async () => {
    const html = await (await fetch(`${app.url}?name=Ada`)).text()
    expect(html).toContain('<title>Title from the seed · 0 online · livetopic · SvelteKit</title>')

    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(`${app.url}?name=Ada`)
      await page.locator('[role="status"][aria-label="Connection"][data-status="connected"]').waitFor({ timeout: 15_000 })
      await page.waitForFunction(() => document.title === 'Title from the seed · 1 online · livetopic · SvelteKit', null, { timeout: 15_000 })
      const sdk = dataPlaneClient(broker.httpUrl)
      try {
        await announce(sdk, 'Title after hydration')
      } finally {
        sdk.destroy()
      }
      await page.waitForFunction(() => document.title === 'Title after hydration · 1 online · livetopic · SvelteKit', null, { timeout: 15_000 })
    } finally {
      await context.close()
    }
  })

  it('works like the Vite examples: join form, telemetry, a refused publish, a broker restart', async () => {
    const alice = await ExamplePage.join(browser, app.url, 'Alice')
    const bob = await ExamplePage.join(browser, app.url, 'Bob')
    try {
      await Promise.all([alice.seesOnline('Bob'), bob.seesOnline('Alice')])
      const device = startTelemetryDevice(broker.url, 50)
      try {
        expect(await bob.seesTelemetry(25)).toBeGreaterThanOrEqual(25)
      } finally {
        await device.stop()
      }
      expect(await alice.publishForbidden()).toMatch(/not allowed/i)
      await alice.connection('connected')
      await broker.stop()
      await Promise.all([alice.connection('reconnecting'), bob.connection('reconnecting')])
      await broker.startAgain()
      await Promise.all([alice.connection('connected'), bob.connection('connected')])
      await bob.send('back after the restart (sveltekit)')
      await alice.seesMessage('back after the restart (sveltekit)')
    } finally {
      await Promise.all([alice.close(), bob.close()])
    }
  })
})
