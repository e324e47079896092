import { mkdirSync, writeFileSync } from 'node:fs'
import { GetRetainedMessageCommand } from '@aws-sdk/client-iot-data-plane'
import { createClient, type LiveTopicClient } from '@livetopic/core'
import { iotCustomAuthorizer } from '@livetopic/core/aws'
import type { Browser, ConsoleMessage, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { announce, dataPlaneClient } from '../../../examples/shared/backend.js'
import { AUTHORIZER_NAME, topics, type Roster } from '../../../examples/shared/config.js'
import { fetchDevToken } from '../../../examples/shared/dev-token.js'
import { clientIdOf } from '../../../examples/shared/identity.js'
import { launchChromium } from '../../e2e/support/chromium.js'
import { eventually } from '../../helpers/wait.js'
import { ExampleBroker } from '../../e2e/support/example-broker.js'
import { measureFirstPaint, medianPaint, type FirstPaint } from './first-paint.js'
import { ensureBuilt, startSsrApp, type SsrApp, type SsrExampleName } from './ssr-app.js'

const STEP_MS = 15_000
const PAINT_RUNS = 5

/** The visible markup of an HTML page: scripts (hydration payloads carry the same text) removed. */
const visibleHtml = (html: string): string => html.replace(/<script\b[\s\S]*?<\/script>/gi, '')

/** Console messages a healthy page never prints: errors, warnings (hydration mismatches are one of them). */
function watchConsole(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  return problems
}

/**
 * The one scenario every server-rendered example must pass: the HTML already holds the retained
 * announcement and who is online (read on the server), the page hydrates without a warning, and
 * it carries on live. Also times the first paint of the announcement, seeded and not.
 */
export function describeSsrExample(name: SsrExampleName): void {
  describe(`${name} example: server-rendered, seeded, live`, () => {
    let broker: ExampleBroker
    let app: SsrApp
    let browser: Browser
    let zoe: LiveTopicClient
    const seeded = `Seeded before the page (${name})`

    beforeAll(async () => {
      ensureBuilt(name)
      broker = await ExampleBroker.start()
      // someone already online, so that the retained roster names them
      // signed in with the broker's development identity provider, as a page would
      const zoeId = clientIdOf((await fetchDevToken(broker.httpUrl, 'Zoe')).sub, 'Zoe-node')
      zoe = createClient({
        url: iotCustomAuthorizer({
          endpoint: broker.url,
          authorizerName: AUTHORIZER_NAME,
          token: async () => (await fetchDevToken(broker.httpUrl, 'Zoe')).idToken,
        }),
        clientId: zoeId,
        WebSocket,
      })
      zoe.connect()
      const sdk = dataPlaneClient(broker.httpUrl)
      try {
        await announce(sdk, seeded)
        // expect.poll only works inside a test, not in beforeAll
        await eventually(async () => (await rosterIds(sdk)).includes(zoeId), STEP_MS, 'the retained roster to name Zoe')
      } finally {
        sdk.destroy()
      }
      ;[app, browser] = await Promise.all([startSsrApp(name, broker), launchChromium()])
    }, 240_000)

    afterAll(async () => {
      await browser?.close()
      await app?.close()
      await zoe?.close()
      await broker?.stop()
    })

    it('sends HTML that already shows the retained announcement and who is online', async () => {
      const html = visibleHtml(await (await fetch(`${app.url}?name=Ada`)).text())
      expect(html).toContain(seeded)
      expect(html).toContain('Zoe')
      // without the seed the server has nothing to show yet
      const unseeded = visibleHtml(await (await fetch(`${app.url}?name=Ada&seed=0`)).text())
      expect(unseeded).not.toContain(seeded)
    })

    it('shows them with JavaScript off: the first paint does not wait for a socket', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false })
      try {
        const page = await context.newPage()
        await page.goto(`${app.url}?name=Ada`)
        await expect(page.getByRole('region', { name: 'Announcement' }).textContent()).resolves.toContain(seeded)
        await expect(page.getByRole('list', { name: 'Who is online' }).textContent()).resolves.toContain('Zoe')
      } finally {
        await context.close()
      }
    })

    it('hydrates without a warning, then carries on live: presence, chat, a new announcement', async () => {
      const ada = await browser.newContext()
      const bob = await browser.newContext()
      try {
        const adaPage = await ada.newPage()
        adaPage.setDefaultTimeout(STEP_MS)
        const problems = watchConsole(adaPage)
        await adaPage.goto(`${app.url}?name=Ada`)
        await adaPage.locator('[role="status"][aria-label="Connection"][data-status="connected"]').waitFor()
        const online = adaPage.getByRole('list', { name: 'Who is online' })
        // "who is online" lists signed-in users by name (the label leading their client id's device part)
        await online.getByRole('listitem').filter({ hasText: 'Ada' }).first().waitFor()

        // Bob joins through the form (a plain GET form: it works before hydration too)
        const bobPage = await bob.newPage()
        bobPage.setDefaultTimeout(STEP_MS)
        problems.push(...watchConsole(bobPage))
        await bobPage.goto(app.url)
        await bobPage.getByRole('textbox', { name: 'Your name' }).fill('Bob')
        await bobPage.getByRole('button', { name: 'Join' }).click()
        await bobPage.locator('[role="status"][aria-label="Connection"][data-status="connected"]').waitFor()
        await online.getByRole('listitem').filter({ hasText: 'Bob' }).first().waitFor()

        // chat through the broker rule, both ways
        await adaPage.getByRole('textbox', { name: 'Message' }).fill(`hello from Ada (${name})`)
        await adaPage.getByRole('button', { name: 'Send' }).click()
        await bobPage.getByRole('log', { name: 'Messages' }).getByText(`hello from Ada (${name})`, { exact: true }).waitFor()

        // a backend announcement replaces the seeded one without a reload
        const sdk = dataPlaneClient(broker.httpUrl)
        try {
          await announce(sdk, `Live after hydration (${name})`)
        } finally {
          sdk.destroy()
        }
        await adaPage.getByRole('region', { name: 'Announcement' }).getByText(`Live after hydration (${name})`).waitFor()
        await expect(adaPage.getByRole('region', { name: 'Announcement' }).textContent()).resolves.not.toContain(seeded)
        expect(problems).toEqual([])
      } finally {
        await Promise.all([ada.close(), bob.close()])
      }
    })

    it('paints the seeded announcement with the HTML; unseeded, only after the socket and the retained message', async () => {
      // the announcement is now the live one from the test above
      const text = `Live after hydration (${name})`
      const withSeed: FirstPaint[] = []
      const withoutSeed: FirstPaint[] = []
      for (let run = 0; run < PAINT_RUNS; run++) {
        withSeed.push(await measureFirstPaint(browser, `${app.url}?name=Paint${run}`, text))
        withoutSeed.push(await measureFirstPaint(browser, `${app.url}?name=Paint${run}&seed=0`, text))
      }
      // seeded: in the HTML itself, so present once the parser is done, before any script ran
      for (const sample of withSeed) expect(sample.banner).toBeLessThanOrEqual(sample.domInteractive)
      const figures = { seeded: medianPaint(withSeed), unseeded: medianPaint(withoutSeed), runs: PAINT_RUNS }
      mkdirSync('test-output/frameworks', { recursive: true })
      writeFileSync(`test-output/frameworks/first-paint-${name}.json`, `${JSON.stringify(figures, null, 2)}\n`)
      console.log(
        `first paint of live data, ${name} (median of ${PAINT_RUNS}, ms after navigation start): ` +
          `seeded ${figures.seeded.banner} (response end ${figures.seeded.responseEnd}); ` +
          `unseeded ${figures.unseeded.banner} (response end ${figures.unseeded.responseEnd})`,
      )
    })
  })
}

async function rosterIds(sdk: ReturnType<typeof dataPlaneClient>): Promise<string[]> {
  try {
    const { payload } = await sdk.send(new GetRetainedMessageCommand({ topic: topics.roster }))
    const roster = JSON.parse(new TextDecoder().decode(payload)) as Roster
    return roster.members.map((m) => m.clientId)
  } catch {
    return []
  }
}
