import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { startBroker, type AuthorizerResponse, type RunningBroker } from '@livetopic/broker'
import { build } from 'esbuild'
import mqtt from 'mqtt'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dashboardBundlePath } from '../../packages/broker/src/http/dashboard.js'
import { launchChromium } from './support/chromium.js'

// An authorizer that lets ordinary clients only into sensors/*: the dashboard must still see everything.
const authorizer = (): AuthorizerResponse => ({
  isAuthenticated: true,
  principalId: 'sensor',
  policyDocuments: [
    {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iot:*', Resource: '*:client/*' },
        { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: '*:topic/sensors/*' },
        { Effect: 'Allow', Action: 'iot:Subscribe', Resource: '*:topicfilter/sensors/*' },
      ],
    },
  ],
  disconnectAfterInSeconds: 86400,
})

describe('broker dashboard in Chromium', () => {
  let broker: RunningBroker
  let browser: Browser
  let sensor: mqtt.MqttClient

  beforeAll(async () => {
    // the page imports core bundled for the browser; `npm run build` makes it, this covers a test run without it
    const bundle = dashboardBundlePath()
    if (!existsSync(bundle)) {
      mkdirSync(dirname(bundle), { recursive: true })
      await build({ entryPoints: ['packages/core/src/index.ts'], bundle: true, format: 'esm', platform: 'browser', minify: true, outfile: bundle })
    }
    broker = await startBroker({ authorizer, logger: 'silent' })
    sensor = await mqtt.connectAsync(broker.url, { clientId: 'sensor-1', reconnectPeriod: 0, username: 'device?token=abc' })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await sensor?.endAsync()
    await broker?.close()
  })

  it('shows connections, the topic tree and rates, and works as an MQTT test client', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(broker.httpUrl)
    await page.locator('#connection[data-status="connected"]').waitFor({ timeout: 15_000 })

    // Monitor: the sensor is listed with its principal
    const table = page.getByRole('table', { name: 'Live connections' })
    await table.getByRole('cell', { name: 'sensor-1', exact: true }).waitFor()
    await expect(table.getByRole('row').filter({ hasText: 'sensor-1' }).textContent()).resolves.toContain('sensor')
    await expect(page.locator('#stat-auth').textContent()).resolves.toBe('on')

    // Topic tree: a message from the sensor shows with its payload
    await sensor.publishAsync('sensors/kitchen', JSON.stringify({ temp: 21.5 }))
    await page.getByRole('tree').getByText('{"temp":21.5}').waitFor()

    // Test client: subscribe, publish from the page, see it arrive
    await page.getByLabel('Topic filter').fill('sensors/#')
    await page.getByRole('button', { name: 'Subscribe' }).click()
    await page.getByLabel('Topic', { exact: true }).fill('sensors/hall')
    await page.getByLabel('Payload', { exact: true }).fill('{"temp":19}')
    await page.getByRole('button', { name: 'Publish' }).click()
    await page.getByRole('list', { name: 'Received messages' }).getByText('sensors/hall: {"temp":19}').waitFor()
    // the sensor (policy: sensors/*) receives what the dashboard published
    const got = new Promise<string>((resolve) => sensor.once('message', (_t, p) => resolve(p.toString())))
    await sensor.subscribeAsync('sensors/+')
    await page.getByRole('button', { name: 'Publish' }).click()
    expect(await got).toBe('{"temp":19}')
    // rates come from the broker's counters
    await page.waitForFunction(() => Number(document.getElementById('stat-out')?.textContent) >= 0)

    mkdirSync('test-output/e2e', { recursive: true })
    await page.screenshot({ path: 'test-output/e2e/dashboard.png', fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  })
})
