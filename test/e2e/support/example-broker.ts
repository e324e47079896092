import { startBroker, type RunningBroker } from '@livetopic/broker'
import { exampleBrokerOptions } from '../../../examples/shared/broker-setup.js'
import { startDevIdentityBroker } from './dev-identity-broker.js'

/**
 * The examples' broker (authorizer + rules) started by the test on a free port, with `restart()`
 * to stop it and bring it back on the same port, as a redeploy or crash would.
 */
export class ExampleBroker {
  private constructor(
    private running: RunningBroker | undefined,
    readonly port: number,
  ) {}

  static async start(): Promise<ExampleBroker> {
    const broker = await startDevIdentityBroker()
    return new ExampleBroker(broker, broker.port)
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/mqtt`
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`
  }

  async stop(): Promise<void> {
    await this.running?.close()
    this.running = undefined
  }

  async startAgain(): Promise<void> {
    if (!this.running) this.running = await startDevIdentityBroker(this.port)
  }
}
