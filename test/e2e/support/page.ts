import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'

// the examples share their markup's accessible names, so one page object drives all three
const STEP_MS = 15_000

/** One browser tab signed in to an example. */
export class ExamplePage {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly name: string,
  ) {}

  /** Opens the app in a fresh browser context (its own storage: another "user"), and joins as `name`. */
  static async join(browser: Browser, url: string, name: string): Promise<ExamplePage> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 } })
    const page = await context.newPage()
    page.setDefaultTimeout(STEP_MS)
    await page.goto(url)
    await page.getByRole('textbox', { name: 'Your name' }).fill(name)
    await page.getByRole('button', { name: 'Join' }).click()
    const tab = new ExamplePage(context, page, name)
    await tab.connection('connected')
    return tab
  }

  /** Waits until the connection badge shows `status`. */
  async connection(status: 'connecting' | 'connected' | 'reconnecting'): Promise<void> {
    await this.page.locator(`[role="status"][aria-label="Connection"][data-status="${status}"]`).waitFor()
  }

  get messages(): Locator {
    return this.page.getByRole('log', { name: 'Messages' })
  }

  get online(): Locator {
    return this.page.getByRole('list', { name: 'Who is online' })
  }

  get announcement(): Locator {
    return this.page.getByRole('region', { name: 'Announcement' })
  }

  /** Waits until the room shows a message with `text`. */
  async seesMessage(text: string): Promise<void> {
    await this.messages.getByText(text, { exact: true }).waitFor()
  }

  /** Waits until `name` is (or is no longer) in the presence list. */
  async seesOnline(name: string, present = true): Promise<void> {
    await this.online
      .getByRole('listitem')
      .filter({ hasText: name })
      .first()
      .waitFor({ state: present ? 'visible' : 'detached' })
  }

  /** Waits until `name`'s entry in the presence list shows (or no longer shows) `status`, e.g. `typing…`. */
  async seesStatus(name: string, status: string, present = true): Promise<void> {
    await this.online
      .getByRole('listitem')
      .filter({ hasText: name })
      .filter({ hasText: status })
      .first()
      .waitFor({ state: present ? 'visible' : 'detached' })
  }

  async seesAnnouncement(text: string): Promise<void> {
    await this.announcement.getByText(text).waitFor()
  }

  /** Waits until the telemetry card shows at least `samples` samples (it renders once per frame). */
  async seesTelemetry(samples: number): Promise<number> {
    const line = this.page.getByRole('region', { name: 'Telemetry' }).getByText(/^sample #\d+$/)
    const end = Date.now() + STEP_MS
    for (;;) {
      const seen = Number(/\d+/.exec((await line.textContent()) ?? '')?.[0] ?? 0)
      if (seen >= samples || Date.now() > end) return seen
      await this.page.waitForTimeout(100)
    }
  }

  async send(text: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Message' }).fill(text)
    await this.page.getByRole('button', { name: 'Send' }).click()
  }

  /** Clicks the demo button that publishes where the policy forbids, and returns the error shown. */
  async publishForbidden(): Promise<string> {
    await this.page.getByRole('button', { name: /not allowed/i }).click()
    const alert = this.page.getByRole('alert').filter({ hasText: /not allowed/i })
    await alert.waitFor()
    return (await alert.textContent()) ?? ''
  }

  async close(): Promise<void> {
    await this.context.close()
  }
}
