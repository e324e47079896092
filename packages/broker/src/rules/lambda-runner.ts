import { randomUUID } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import type { BrokerLogger } from '../logger.js'
import { bundleLambda } from './lambda-bundle.js'

/** How the stand-in runs a rule's Lambda action (broker option `lambda`). */
export interface LambdaRunnerOptions {
  /**
   * `fresh` (default): a new instance, with fresh module state, for every invocation, so a handler
   * that keeps state in memory fails locally as it would on AWS. `warm`: instances are kept and
   * reused (faster; as a warm Lambda), each still starting with fresh module state.
   */
  instances?: 'fresh' | 'warm'
  /** Invocations running at once (Lambda's concurrency); more wait in the queue. Default 8. */
  concurrency?: number
  /** Invocations allowed to wait; past it an event is dropped and logged (as a throttled async invoke). Default 1000. */
  queueLimit?: number
  /** Time limit of one invocation, ms; the instance is killed when it passes. Default 3000 (Lambda's default). */
  timeoutMs?: number
}

/** What the runner needs from the broker. */
export interface LambdaRunnerSetup extends LambdaRunnerOptions {
  /** The rule's label, for logs and `AWS_LAMBDA_FUNCTION_NAME`. */
  name: string
  /** Handler file (bundled once with esbuild). */
  entry: string
  /** Exported name; default `handler`. */
  handler?: string
  /** The function's own environment; nothing of the broker's process leaks in. */
  environment?: Record<string, string>
  /** Set by the broker once it listens: `LIVETOPIC_IOT_ENDPOINT`, region and credentials. */
  runtimeEnvironment?: () => Record<string, string>
  /** Where throttling, throws, timeouts and crashes are reported (without the event). */
  logger: BrokerLogger
}

/** Figures of a runner, for tests and benchmarks. */
export interface LambdaRunnerStats {
  /** Instances started (cold starts). */
  started: number
  /** Instances alive now. */
  alive: number
  /** Most invocations that ran at the same time. */
  maxConcurrent: number
  /** Invocations started. */
  invoked: number
  /** Invocations that threw, or whose instance crashed or failed to load the module. */
  failed: number
  /** Invocations over the time limit (`timeoutMs`, or 10 s for the module to load). */
  timedOut: number
  /** Events refused because `queueLimit` invocations were already waiting. */
  dropped: number
}

// Lambda's limit for a function's init phase
const INIT_TIMEOUT_MS = 10_000

interface Instance {
  worker: Worker
  ready: Promise<void>
  dead: boolean
}

interface Pending {
  event: unknown
  resolve(ok: boolean): void
}

/**
 * Runs one Lambda handler file the way Lambda does: the module is evaluated per instance (a
 * `worker_threads` Worker with its own `process.env`), invocations run concurrently up to a cap and
 * queue beyond it, each has a time limit, and a throw or a timeout is logged without the event's
 * content and never reaches the caller. `close()` terminates every instance.
 */
export class LambdaRunner {
  readonly #setup: LambdaRunnerSetup
  #source: Promise<string> | undefined
  readonly #idle: Instance[] = []
  readonly #all = new Set<Instance>()
  readonly #queue: Pending[] = []
  readonly #inFlight = new Set<Promise<boolean>>()
  #running = 0
  #closed = false
  readonly #stats: LambdaRunnerStats = { started: 0, alive: 0, maxConcurrent: 0, invoked: 0, failed: 0, timedOut: 0, dropped: 0 }

  /** Takes the setup; nothing starts until `prepare()` or the first `invoke()`. */
  constructor(setup: LambdaRunnerSetup) {
    this.#setup = setup
  }

  /** Bundles the entry (once); throws with esbuild's message when it does not build. */
  async prepare(): Promise<void> {
    this.#source ??= bundleLambda(this.#setup.entry, this.#setup.handler ?? 'handler')
    try {
      await this.#source
    } catch (error) {
      this.#source = undefined
      const detail = (error as { errors?: { text: string }[] }).errors?.map((e) => e.text).join('; ') ?? (error as Error).message
      throw new Error(`${this.#setup.name}: its Lambda entry does not bundle: ${detail}`, { cause: error })
    }
  }

  /** Invokes the handler with `event` (asynchronously, as IoT invokes a rule's Lambda); resolves true when it succeeded. */
  invoke(event: unknown): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false)
    if (this.#running >= (this.#setup.concurrency ?? 8)) {
      if (this.#queue.length >= (this.#setup.queueLimit ?? 1000)) {
        this.#stats.dropped++
        this.#setup.logger.warn(`${this.#setup.name}: throttled, event dropped (${this.#queue.length} invocations waiting)`)
        return Promise.resolve(false)
      }
      return new Promise((resolve) => this.#queue.push({ event, resolve }))
    }
    return this.#run(event)
  }

  /** Retires the warm instances: the next invocations start cold. */
  async retireWarm(): Promise<void> {
    await Promise.all(this.#idle.splice(0).map((i) => this.#kill(i)))
  }

  /** A copy of the runner's figures. */
  stats(): LambdaRunnerStats {
    return { ...this.#stats, alive: this.#all.size }
  }

  /**
   * Takes no new invocation and drops the queued ones at once; lets the running ones finish (each
   * within its time limit), then terminates every instance. Killing a handler mid-call would leave
   * its request (a DynamoDB write, say) half done on the other side, to fail there after its store
   * has closed too.
   */
  async close(): Promise<void> {
    this.#closed = true
    for (const pending of this.#queue.splice(0)) pending.resolve(false)
    await Promise.all(this.#inFlight)
    await Promise.all([...this.#all].map((i) => this.#kill(i)))
  }

  #run(event: unknown): Promise<boolean> {
    const run = this.#runTracked(event)
    this.#inFlight.add(run)
    const settled = (): void => void this.#inFlight.delete(run)
    run.then(settled, settled)
    return run
  }

  async #runTracked(event: unknown): Promise<boolean> {
    this.#running++
    this.#stats.maxConcurrent = Math.max(this.#stats.maxConcurrent, this.#running)
    this.#stats.invoked++
    try {
      return await this.#invokeOnce(event)
    } finally {
      this.#running--
      const next = this.#queue.shift()
      if (next && !this.#closed) void this.#run(next.event).then((ok) => next.resolve(ok))
    }
  }

  async #invokeOnce(event: unknown): Promise<boolean> {
    const timeoutMs = this.#setup.timeoutMs ?? 3000
    const instance = this.#idle.pop() ?? (await this.#start())
    if (!instance) return false
    const id = randomUUID()
    let timer: NodeJS.Timeout | undefined
    let onMessage: (m: { id?: string; ok?: boolean; name?: string; message?: string }) => void = () => {}
    let onExit: () => void = () => {}
    const outcome = await new Promise<'ok' | 'failed' | 'timeout'>((resolve) => {
      onMessage = (m) => {
        if (m.id !== id) return
        if (!m.ok) this.#report(`threw ${m.name ?? 'Error'}: ${m.message ?? ''}`)
        resolve(m.ok ? 'ok' : 'failed')
      }
      onExit = () => resolve('failed')
      instance.worker.on('message', onMessage)
      instance.worker.once('exit', onExit)
      // as on Lambda, the init phase (module load) has its own limit and the invocation's starts after it
      timer = setTimeout(() => resolve('timeout'), INIT_TIMEOUT_MS)
      instance.ready.then(
        () => {
          clearTimeout(timer)
          timer = setTimeout(() => resolve('timeout'), timeoutMs)
          instance.worker.postMessage({ id, event, deadline: Date.now() + timeoutMs })
        },
        () => resolve('failed'),
      )
    })
    clearTimeout(timer)
    instance.worker.off('message', onMessage)
    instance.worker.off('exit', onExit)
    if (outcome === 'timeout') {
      this.#stats.timedOut++
      this.#report(`timed out after ${timeoutMs} ms`)
    } else if (outcome === 'failed') this.#stats.failed++
    // Lambda replaces an instance after a timeout or a crash; `fresh` replaces it every time
    if (outcome === 'timeout' || instance.dead || this.#setup.instances !== 'warm' || this.#closed) await this.#kill(instance)
    else this.#idle.push(instance)
    return outcome === 'ok'
  }

  async #start(): Promise<Instance | undefined> {
    let source: string
    try {
      await this.prepare()
      source = await this.#source!
    } catch (error) {
      this.#report((error as Error).message)
      return undefined
    }
    const worker = new Worker(source, {
      eval: true,
      workerData: { functionName: this.#setup.name },
      env: { ...this.#setup.environment, ...this.#setup.runtimeEnvironment?.(), AWS_LAMBDA_FUNCTION_NAME: this.#setup.name },
      stdout: false,
      stderr: false,
    })
    this.#stats.started++
    const instance: Instance = { worker, dead: false, ready: Promise.resolve() }
    this.#all.add(instance)
    instance.ready = new Promise<void>((resolve, reject) => {
      const onReady = (m: { ready?: boolean }): void => {
        if (!m.ready) return
        worker.off('message', onReady)
        resolve()
      }
      worker.on('message', onReady)
      worker.once('exit', () => reject(new Error('exited')))
    })
    instance.ready.catch(() => {})
    // a throw at module load or an unhandled rejection ends the instance: logged, never the broker's
    worker.on('error', (error) => {
      instance.dead = true
      this.#report(`instance crashed: ${error.name}: ${error.message}`)
    })
    worker.once('exit', () => {
      instance.dead = true
      this.#all.delete(instance)
    })
    return instance
  }

  async #kill(instance: Instance): Promise<void> {
    instance.dead = true
    this.#all.delete(instance)
    await instance.worker.terminate()
  }

  // The handler's own words, cut short: it may have put anything in its error, so never the event
  #report(what: string): void {
    const text = what.length > 300 ? `${what.slice(0, 300)}…` : what
    this.#setup.logger.warn(`${this.#setup.name} (Lambda action): ${text}`)
  }
}
