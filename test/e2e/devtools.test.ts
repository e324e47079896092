// @livetopic/devtools on each example in Chromium: a development build mounts the panel (the
// example's one line), the key opens it, a message arrives in its log, a refused publish shows its
// error; a production build carries none of its code.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { serveExample, type ExampleName } from './support/example-app.js'
import { useExampleRig } from './support/example-rig.js'
import { ExamplePage } from './support/page.js'

/** Every built JavaScript file of an app, concatenated. */
function builtCode(outDir: string): string {
  const assets = join(outDir, 'assets')
  return readdirSync(assets)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(assets, file), 'utf8'))
    .join('\n')
}

describe.each<ExampleName>(['react', 'vue', 'svelte'])('devtools on the %s example in Chromium', (name) => {
  const rig = useExampleRig((broker) => serveExample(name, broker, { mode: 'development' }), 120_000)

  it('opens with Alt+Shift+L, logs a message as it arrives and shows a refused publish with its error', async () => {
    const { app, browser, tabs } = rig
    const alice = await ExamplePage.join(browser, app.url, 'Alice')
    const bob = await ExamplePage.join(browser, app.url, 'Bob')
    tabs.push(alice, bob)
    const { page } = alice
    const panel = page.getByRole('dialog', { name: 'livetopic devtools' })
    await page.getByRole('button', { name: 'livetopic' }).waitFor()
    expect(await panel.isVisible()).toBe(false)

    await page.keyboard.press('Alt+Shift+KeyL')
    await panel.waitFor()
    const log = panel.getByRole('log', { name: 'Message log' })
    await bob.send('hello, devtools')
    await log
      .getByText(/hello, devtools/)
      .first()
      .waitFor()
    // the room's incoming message, with its topic
    expect(await log.getByRole('listitem').filter({ hasText: 'hello, devtools' }).first().textContent()).toMatch(/← \S+/)

    // the panel covers the page's corner: close it (key again) to click the demo button
    await page.keyboard.press('Alt+Shift+KeyL')
    await panel.waitFor({ state: 'hidden' })
    expect(await alice.publishForbidden()).toMatch(/not allowed/i)
    await page.getByRole('button', { name: 'livetopic' }).click()
    await panel.waitFor()
    await panel.getByRole('combobox', { name: 'Show' }).selectOption('errors')
    const refused = log.getByRole('listitem').filter({ hasText: 'NOT_AUTHORIZED' })
    await refused.first().waitFor()
    // the filter re-renders on the next frame: then every line shown is the refusal
    await expect.poll(async () => (await log.getByRole('listitem').count()) === (await refused.count())).toBe(true)

    // topics with listener counts, the debug event stream, the status history
    await tab(panel, 'Topics')
    const topics = panel.getByRole('table', { name: 'Topics' })
    await topics.waitFor()
    expect(await topics.getByRole('row').count()).toBeGreaterThan(1)
    expect(await topics.textContent()).toMatch(/subscribed/)
    await tab(panel, 'Events')
    await panel
      .getByRole('log', { name: 'Debug events' })
      .getByText(/queue|suback|connack/)
      .first()
      .waitFor()
    await tab(panel, 'Connection')
    await panel
      .getByRole('list', { name: 'Status history' })
      .getByText(/connected/)
      .first()
      .waitFor()
    // the examples share one connection per browser: this tab leads, a second tab of Alice's follows
    await panel.getByText(/role: leader/).waitFor()
    const second = await alice.context.newPage()
    await second.goto(app.url)
    await second.locator('[role="status"][aria-label="Connection"][data-status="connected"]').waitFor()
    await second.keyboard.press('Alt+Shift+KeyL')
    const secondPanel = second.getByRole('dialog', { name: 'livetopic devtools' })
    await tab(secondPanel, 'Connection')
    // (seen once under load: not shown within 30 s; on a miss, say what both panels showed)
    await secondPanel
      .getByText(/role: follower/)
      .waitFor()
      .catch(async (error: unknown) => {
        throw new Error(`second tab: ${await secondPanel.textContent()}\nfirst tab: ${await panel.textContent()}`, { cause: error })
      })
    await second.close()
  })

  it('a production build of the example has none of the devtools code', async () => {
    const { broker, app } = rig
    const production = await serveExample(name, broker)
    try {
      expect(builtCode(production.outDir)).not.toContain('livetopic-devtools')
      // and the check means something: the development build has it
      expect(builtCode(app.outDir)).toContain('livetopic-devtools')
    } finally {
      await production.close()
    }
  }, 120_000)
})

async function tab(panel: Locator, name: string): Promise<void> {
  await panel.getByRole('tab', { name }).click()
}
