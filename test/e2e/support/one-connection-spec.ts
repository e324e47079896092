import type { RunningBroker } from '@livetopic/broker'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './chromium.js'
import { startExampleBroker } from '../../../examples/shared/broker-setup.js'
import { eventually } from '../../helpers/wait.js'

const STEP_MS = 15_000

/** The client id this browser signed in with, from its stored session and device id (as the page derives it). */
async function clientIdIn(page: Page): Promise<string> {
  return page.evaluate(() => {
    const session = JSON.parse(localStorage.getItem('livetopic.session') ?? 'null') as { userId: string; name: string } | null
    // names.ts' nameLabelOf: the name's letters and digits lead the device part
    const label =
      session?.name
        .normalize('NFKD')
        .replace(/[^A-Za-z0-9]/g, '')
        .slice(0, 20) || 'user'
    return session ? `${session.userId}_${label}-${localStorage.getItem('livetopic.device')}` : ''
  })
}

const badge = (page: Page) => page.locator('[role="status"][aria-label="Connection"]')
const connected = (page: Page) => badge(page).and(page.locator('[data-status="connected"]')).waitFor()
const signInForm = (page: Page) => page.getByRole('textbox', { name: 'Your name' })

async function openTab(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage()
  page.setDefaultTimeout(STEP_MS)
  await page.goto(url)
  return page
}

async function signIn(context: BrowserContext, url: string, name: string): Promise<Page> {
  const page = await openTab(context, url)
  await signInForm(page).fill(name)
  await page.getByRole('button', { name: 'Join' }).click()
  await connected(page)
  return page
}

/** A served example app: its address, and how to stop it. */
export interface ServedApp {
  url: string
  close(): Promise<void>
}

/**
 * The scenario every example must pass in Chromium, single-page or server-rendered: sign in in
 * one tab, open two more: they are signed in without the form, the broker holds ONE connection
 * for the browser and all three tabs receive; another browser (user) gets its own connection;
 * signing out in one tab signs out the others. `serve` starts the app against the broker.
 */
export function describeOneConnectionPerBrowser(name: string, serve: (broker: RunningBroker) => Promise<ServedApp>): void {
  describe(`${name} example: one sign-in and one connection per browser`, () => {
    let broker: RunningBroker
    let app: ServedApp
    let browser: Browser
    // every MQTT connection the broker accepted, by client id (lifecycle `connected` events)
    const connects = new Map<string, number>()

    beforeAll(async () => {
      broker = await startExampleBroker(0, { logger: 'silent' })
      broker.events.on('lifecycle', ({ topic, payload }) => {
        if (topic.startsWith('$aws/events/presence/connected/')) connects.set(String(payload.clientId), (connects.get(String(payload.clientId)) ?? 0) + 1)
      })
      ;[app, browser] = await Promise.all([serve(broker), launchChromium()])
    }, 300_000)

    afterAll(async () => {
      await browser?.close()
      await app?.close()
      await broker?.close()
    })

    it('three tabs: signed in once, one broker connection, all receive; another user gets their own; sign-out follows', async () => {
      const ada = await browser.newContext()
      const bob = await browser.newContext()
      try {
        const first = await signIn(ada, app.url, 'Ada')
        // the second and third tab open signed in: no form, the same user and client id
        const second = await openTab(ada, app.url)
        const third = await openTab(ada, app.url)
        await Promise.all([connected(second), connected(third)])
        for (const tab of [second, third]) expect(await signInForm(tab).count()).toBe(0)
        const adaId = await clientIdIn(first)
        expect(adaId).toMatch(/^[A-Za-z0-9-]+_Ada-[a-z0-9]+$/)
        expect(await clientIdIn(second)).toBe(adaId)
        expect(await clientIdIn(third)).toBe(adaId)

        // the broker holds exactly one connection for the three tabs, and only ever accepted one
        const adaConnections = () => broker.connections().filter((c) => c.clientId === adaId)
        expect(adaConnections()).toHaveLength(1)
        expect(broker.connections().filter((c) => c.clientId.startsWith(adaId.split('_')[0]!))).toHaveLength(1)
        expect(connects.get(adaId)).toBe(1)
        // one tab holds it, the others share it
        const roles = await Promise.all([first, second, third].map((tab) => badge(tab).getAttribute('data-role')))
        expect(roles.sort()).toEqual(['follower', 'follower', 'leader'])

        // another browser, another user: a connection of their own
        const bobTab = await signIn(bob, app.url, 'Bob')
        const bobId = await clientIdIn(bobTab)
        expect(bobId).not.toBe(adaId)
        expect(bobId.split('_')[0]).not.toBe(adaId.split('_')[0])
        await eventually(() => broker.connections().some((c) => c.clientId === bobId), STEP_MS, "Bob's connection")
        expect(connects.get(bobId)).toBe(1)

        // a message reaches all three of Ada's tabs through the one connection
        const text = `hello Ada's tabs (${name})`
        await bobTab.getByRole('textbox', { name: 'Message' }).fill(text)
        await bobTab.getByRole('button', { name: 'Send' }).click()
        await Promise.all([first, second, third].map((tab) => tab.getByRole('log', { name: 'Messages' }).getByText(text, { exact: true }).waitFor()))
        expect(connects.get(adaId)).toBe(1)

        // signing out in one tab signs out the others; the connection goes, Bob's stays
        await second.getByRole('button', { name: 'Sign out' }).click()
        await Promise.all([first, second, third].map((tab) => signInForm(tab).waitFor()))
        await eventually(() => adaConnections().length === 0, STEP_MS, "Ada's connection to close")
        expect(broker.connections().filter((c) => c.clientId === bobId)).toHaveLength(1)
        expect(await first.evaluate(() => localStorage.getItem('livetopic.session'))).toBeNull()
      } finally {
        await Promise.all([ada.close(), bob.close()])
      }
    })
  })
}
