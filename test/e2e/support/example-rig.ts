import type { Browser } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { launchChromium } from './chromium.js'
import { ExampleBroker } from './example-broker.js'
import type { ExamplePage } from './page.js'

/** What a suite of example tests runs against; set once its beforeAll has run. */
export interface ExampleRig<App> {
  broker: ExampleBroker
  app: App
  browser: Browser
  /** Pages to close after the suite. */
  tabs: ExamplePage[]
}

/**
 * Registers the suite's beforeAll/afterAll: the example broker, the app `start` serves on it and a
 * Chromium; afterwards every tab, the browser, the app and the broker are closed, in that order.
 */
export function useExampleRig<App extends { close(): Promise<void> }>(start: (broker: ExampleBroker) => Promise<App>, timeout: number): ExampleRig<App> {
  const rig = { tabs: [] as ExamplePage[] } as ExampleRig<App>
  beforeAll(async () => {
    rig.broker = await ExampleBroker.start()
    ;[rig.app, rig.browser] = await Promise.all([start(rig.broker), launchChromium()])
  }, timeout)
  afterAll(async () => {
    await Promise.all(rig.tabs.map((t) => t.close().catch(() => {})))
    await rig.browser?.close()
    await rig.app?.close()
    await rig.broker?.stop()
  })
  return rig
}
