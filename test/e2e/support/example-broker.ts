import type { RunningBroker } from '@livetopic/broker'
import { startExampleBroker } from '../../../examples/shared/broker-setup.js'

/**
 * The examples' broker (dev identity provider, JWT authorizer, rules) started by the test on a free port, with `restart()`
 * to stop it and bring it back on the same port, as a redeploy or crash would.
 */
export class ExampleBroker {
  private constructor(
    private running: RunningBroker | undefined,
    readonly port: number,
  ) {}

  static async start(): Promise<ExampleBroker> {
    const broker = await startExampleBroker(0, { logger: 'silent' })
    return new ExampleBroker(broker, broker.port)
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/mqtt`
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** When each current connection was accepted, by client id: a reconnect changes its time. */
  connectedSince(): Record<string, number> {
    return Object.fromEntries((this.running?.connections() ?? []).map((c) => [c.clientId, c.connectedAt]))
  }

  async stop(): Promise<void> {
    await this.running?.close()
    this.running = undefined
  }

  async startAgain(): Promise<void> {
    if (!this.running) this.running = await startExampleBroker(this.port, { logger: 'silent' })
  }
}
