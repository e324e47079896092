import type { Browser } from 'playwright-core'

/** When, in ms after navigation start, a page load showed the announcement (Chromium's clocks). */
export interface FirstPaint {
  /** Last byte of the server's HTML. */
  responseEnd: number
  /** The parser finished the HTML (before any deferred script ran). */
  domInteractive: number
  /** First contentful paint. */
  firstContentfulPaint: number
  /** The banner showed the expected text. */
  banner: number
}

declare global {
  interface Window {
    __bannerAt?: number
  }
}

const BANNER = 'section[aria-label="Announcement"] p.banner'

/**
 * Loads `url` in a fresh context and times the first moment the announcement banner holds `text`,
 * watching the DOM from before the first byte is parsed.
 */
export async function measureFirstPaint(browser: Browser, url: string, text: string): Promise<FirstPaint> {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    await page.addInitScript(
      ({ selector, expected }) => {
        const seen = (): boolean => document.querySelector(selector)?.textContent?.includes(expected) ?? false
        const observer = new MutationObserver(() => {
          if (window.__bannerAt === undefined && seen()) {
            window.__bannerAt = performance.now()
            observer.disconnect()
          }
        })
        observer.observe(document, { childList: true, subtree: true, characterData: true })
      },
      { selector: BANNER, expected: text },
    )
    await page.goto(url)
    await page.waitForFunction(() => window.__bannerAt !== undefined, null, { timeout: 15_000 })
    return await page.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]
      return {
        responseEnd: navigation.responseEnd,
        domInteractive: navigation.domInteractive,
        firstContentfulPaint: fcp?.startTime ?? Number.NaN,
        banner: window.__bannerAt!,
      }
    })
  } finally {
    await context.close()
  }
}

/** Median of each field over several loads. */
export function medianPaint(samples: FirstPaint[]): FirstPaint {
  const median = (pick: (s: FirstPaint) => number): number => {
    const sorted = samples.map(pick).sort((a, b) => a - b)
    return Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10
  }
  return {
    responseEnd: median((s) => s.responseEnd),
    domInteractive: median((s) => s.domInteractive),
    firstContentfulPaint: median((s) => s.firstContentfulPaint),
    banner: median((s) => s.banner),
  }
}
