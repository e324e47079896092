import type { LiveTopicClient } from '@livetopic/core'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { startMosquitto, type MosquittoOptions, type RunningMosquitto } from './mosquitto.js'

/**
 * One Mosquitto for the enclosing suite (started before it, stopped after it) and a list of
 * livetopic clients closed after each test.
 */
export function useMosquittoSuite(options?: MosquittoOptions): { readonly mosquitto: RunningMosquitto; readonly clients: LiveTopicClient[] } {
  let mosquitto: RunningMosquitto | undefined
  const clients: LiveTopicClient[] = []
  beforeAll(async () => {
    mosquitto = await startMosquitto(options)
  })
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()))
  })
  afterAll(() => mosquitto?.stop())
  return {
    get mosquitto() {
      if (!mosquitto) throw new Error('Mosquitto is not started yet (use it inside a test or hook)')
      return mosquitto
    },
    clients,
  }
}
