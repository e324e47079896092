// Several Chromium pages in ONE browser context (they share BroadcastChannel and Web Locks), each
// a livetopic client, against the aedes stand-in started in this process, which also serves the
// page. The broker counts connections and the PUBLISH packets it forwards, per topic.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { fileURLToPath } from 'node:url'
import type { AedesPublishPacket, Client } from 'aedes'
import { startBroker, type RunningBroker } from '@livetopic/broker'
import { build } from 'esbuild'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium } from '../../e2e/support/chromium.js'
import { SOURCE_CONDITION } from '../../helpers/source-entries.js'
import type { TabApi } from './tab-app.js'

const root = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url))

let bundle: Promise<string> | undefined
/** The test page's script, bundled from the sources for the browser (once per process). */
function pageScript(): Promise<string> {
  bundle ??= build({
    entryPoints: [root('test/tabs/support/tab-app.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    conditions: [SOURCE_CONDITION],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  }).then((r) => r.outputFiles[0]!.text)
  return bundle
}

/** One tab, driven through the page's `window.tab`. */
export class Tab {
  constructor(readonly page: Page) {}

  call<K extends keyof TabApi>(name: K, ...args: Parameters<TabApi[K]>): Promise<Awaited<ReturnType<TabApi[K]>>> {
    return this.page.evaluate(([n, a]) => (window as unknown as { tab: Record<string, (...x: unknown[]) => unknown> }).tab[n]!(...a), [name, args] as [
      string,
      unknown[],
    ]) as Promise<Awaited<ReturnType<TabApi[K]>>>
  }

  /** Polls the page until `check` holds for what `read` returns. */
  async until<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 15_000, what = 'condition'): Promise<T> {
    const end = Date.now() + ms
    for (;;) {
      const value = await read()
      if (check(value)) return value
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`)
      await new Promise((r) => setTimeout(r, 25))
    }
  }

  connected(): Promise<unknown> {
    return this.until(
      () => this.call('status'),
      (s) => s.status === 'connected',
      15_000,
      'connected',
    )
  }

  role(): Promise<string | null> {
    return this.call('status').then((s) => s.role)
  }

  close(): Promise<void> {
    return this.page.close()
  }
}

/** A broker, a Chromium with one context, and the counters. */
export class Browsers {
  private readonly delivered = new Map<string, number>()
  private connects = 0

  private constructor(
    readonly broker: RunningBroker,
    readonly browser: Browser,
    readonly context: BrowserContext,
  ) {
    broker.aedes.on('client', () => void this.connects++)
    const forward = broker.aedes.authorizeForward.bind(broker.aedes)
    broker.aedes.authorizeForward = (client: Client, packet: AedesPublishPacket) => {
      const result = forward(client, packet)
      if (result) this.delivered.set(packet.topic, (this.delivered.get(packet.topic) ?? 0) + 1)
      return result
    }
  }

  static async start(): Promise<Browsers> {
    const script = await pageScript()
    let origin = ''
    // a page on loopback still checks Host: only this origin gets the page (no DNS rebinding)
    const serve =
      (body: string, type: string) =>
      (req: IncomingMessage, res: ServerResponse): void => {
        if (`http://${req.headers.host ?? ''}` !== origin) return void res.writeHead(403).end()
        res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body)
      }
    const broker = await startBroker({
      logger: 'silent',
      dashboard: false,
      routes: [
        {
          method: 'GET',
          path: /^\/tab$/,
          public: true,
          handle: serve('<!doctype html><title>tab</title><script type="module" src="/tab.js"></script>', 'text/html'),
        },
        { method: 'GET', path: /^\/tab\.js$/, public: true, handle: serve(script, 'text/javascript') },
        { method: 'GET', path: /^\/bare$/, public: true, handle: serve('<!doctype html><title>bare</title>', 'text/html') },
      ],
    })
    origin = broker.httpUrl
    const browser = await launchChromium()
    return new Browsers(broker, browser, await browser.newContext())
  }

  /** Connections the broker accepted so far. */
  get connections(): number {
    return this.connects
  }

  /** Connections open right now. */
  get open(): number {
    return this.broker.connections().length
  }

  /** PUBLISH packets the broker forwarded on `topic` (one per receiving connection). */
  deliveries(topic: string): number {
    return this.delivered.get(topic) ?? 0
  }

  /** Opens a tab of the app in the shared context (`share: false` turns the mode off). */
  async tab(options: { share?: boolean; channel?: string; stableAfter?: number; context?: BrowserContext; iot?: boolean } = {}): Promise<Tab> {
    const page = await (options.context ?? this.context).newPage()
    const query = new URLSearchParams({ broker: this.broker.url, share: options.share === false ? '0' : '1', channel: options.channel ?? 'tabs-test' })
    if (options.iot) query.set('iot', '1')
    if (options.stableAfter !== undefined) query.set('stableAfter', String(options.stableAfter))
    await page.goto(`${this.broker.httpUrl}/tab?${query}`)
    await page.waitForFunction(() => 'tab' in window)
    const tab = new Tab(page)
    await tab.call('connect')
    return tab
  }

  /** A page of the same origin without livetopic (a confused tab: another version, a broken script). */
  async bare(): Promise<Page> {
    const page = await this.context.newPage()
    await page.goto(`${this.broker.httpUrl}/bare`)
    return page
  }

  /** Publishes from the broker itself (as a backend would), QoS 0. */
  publish(topic: string, payload: unknown, retain = false): Promise<void> {
    return new Promise((resolve, reject) => {
      this.broker.aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(JSON.stringify(payload)), qos: 0, retain, dup: false }, (e) =>
        e ? reject(e) : resolve(),
      )
    })
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => {})
    await this.broker.close()
  }
}
