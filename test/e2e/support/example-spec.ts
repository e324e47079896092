import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { announce, dataPlaneClient } from '../../../examples/shared/backend.js'
import { startTelemetryDevice } from '../../../examples/shared/telemetry-device.js'
import { serveExample, type ExampleName } from './example-app.js'
import { useExampleRig } from './example-rig.js'
import { ExamplePage } from './page.js'

const outputDir = fileURLToPath(new URL('../../../test-output/e2e/', import.meta.url))

/**
 * The one scenario every example must pass in Chromium: presence, chat through the broker rule,
 * retained announcements from the backend, a refused publish, and a broker restart.
 */
export function describeExample(name: ExampleName): void {
  describe(`${name} example in Chromium`, () => {
    const rig = useExampleRig((broker) => serveExample(name, broker), 90_000)

    it('two users chat live, see each other, telemetry and announcements, survive a refusal and a broker restart', async () => {
      const { broker, app, browser, tabs } = rig
      const alice = await ExamplePage.join(browser, app.url, 'Alice')
      const bob = await ExamplePage.join(browser, app.url, 'Bob')
      tabs.push(alice, bob)

      // presence: each sees the other (lifecycle events + the retained roster)
      await Promise.all([alice.seesOnline('Bob'), bob.seesOnline('Alice'), alice.seesOnline('Alice')])

      // status through usePresence's update (presence/state/<id>, recorded in the roster): Bob sees
      // Alice typing, and her status back to plain once her message is sent
      await alice.page.getByRole('textbox', { name: 'Message' }).fill('about to say something')
      await bob.seesStatus('Alice', 'typing…')
      await alice.page.getByRole('button', { name: 'Send' }).click()
      await bob.seesStatus('Alice', 'typing…', false)

      // chat: Alice → client/<her id> → rule → room → Bob
      await alice.send(`hello from Alice (${name})`)
      await Promise.all([bob.seesMessage(`hello from Alice (${name})`), alice.seesMessage(`hello from Alice (${name})`)])

      // a device publishes 50 samples/s; the card (throttled to one render per frame) keeps up
      const device = startTelemetryDevice(broker.url, 50)
      try {
        expect(await bob.seesTelemetry(25)).toBeGreaterThanOrEqual(25)
        // the policy denies browsers the device's lifecycle events: it is not "online" as a person
        expect(await bob.online.getByText(/telemetry/i).count()).toBe(0)
      } finally {
        await device.stop()
      }

      // backend announcement through the Data Plane HTTP API with the AWS SDK, retained
      const sdk = dataPlaneClient(broker.httpUrl)
      try {
        await announce(sdk, `Maintenance at noon (${name})`)
      } finally {
        sdk.destroy()
      }
      await Promise.all([alice.seesAnnouncement(`Maintenance at noon (${name})`), bob.seesAnnouncement(`Maintenance at noon (${name})`)])

      // a third tab opened afterwards gets the retained announcement, appears, then leaves
      const carol = await ExamplePage.join(browser, app.url, 'Carol')
      await carol.seesAnnouncement(`Maintenance at noon (${name})`)
      await Promise.all([carol.seesOnline('Alice'), carol.seesOnline('Bob'), alice.seesOnline('Carol')])
      await carol.close()
      await alice.seesOnline('Carol', false)

      // the policy forbids publishing to the room directly: an error, and the page carries on
      const before = broker.connectedSince()
      const refusal = await alice.publishForbidden()
      expect(refusal).toMatch(/not allowed/i)
      await alice.connection('connected')
      await alice.send('still here after the refusal')
      await bob.seesMessage('still here after the refusal')
      // over MQTT 5 the refusal is a PUBACK 0x87: every tab kept its connection (3.1.1 would have hung up)
      expect(broker.connectedSince()).toEqual(before)

      // broker restart on the same port: both tabs show reconnecting, then connected, then chat again
      await broker.stop()
      await Promise.all([alice.connection('reconnecting'), bob.connection('reconnecting')])
      await broker.startAgain()
      await Promise.all([alice.connection('connected'), bob.connection('connected')])
      await bob.send('back after the restart')
      await alice.seesMessage('back after the restart')
      await alice.send('welcome back, Bob')
      await bob.seesMessage('welcome back, Bob')
      await Promise.all([alice.seesOnline('Bob'), bob.seesOnline('Alice')])

      mkdirSync(outputDir, { recursive: true })
      await alice.page.screenshot({ path: `${outputDir}${name}.png`, fullPage: true })
    })
  })
}
