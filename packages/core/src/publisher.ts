import { toBytes, type Codec } from './codecs.js'
import type { Connection } from './connection.js'
import type { DebugSink } from './debug-events.js'
import { LiveTopicError } from './errors.js'
import type { Profile } from './profile.js'
import type { Sendable, SuspectTracker } from './suspects.js'
import { isFinalPublishFailure } from './transport.js'
import { assertTopicName } from './topic-validation.js'
import type { PublishOptions, QoS } from './types.js'

/** One publish, from `client.publish()` until its PUBACK (or write, for QoS 0). */
class Outgoing implements Sendable {
  readonly kind = 'publish'
  sent = false

  constructor(
    readonly topic: string,
    readonly payload: Uint8Array | string,
    readonly qos: QoS,
    readonly retain: boolean,
    readonly resolve: () => void,
    readonly reject: (error: LiveTopicError) => void,
    /** The second strike of the suspect tracker. */
    readonly refused: () => void,
  ) {}
}

/**
 * Publishes in order. While disconnected they wait in a bounded queue; unacknowledged ones are
 * sent again after a reconnect. A publish the broker answers by hanging up is retried once,
 * alone, then rejected with NOT_AUTHORIZED (see SuspectTracker).
 */
export class Publisher {
  private readonly outgoing: Outgoing[] = []

  constructor(
    private readonly connection: Pick<Connection, 'connected' | 'transport' | 'ensureStarted' | 'on'>,
    private readonly suspects: SuspectTracker,
    private readonly profile: Profile,
    private readonly codec: Codec<unknown>,
    private readonly queueLimit: number,
    private readonly debug: DebugSink,
  ) {
    connection.on('connected', () => this.flush())
    connection.on('dropped', () => this.requeue())
    suspects.onResume(() => this.flush())
  }

  publish(topic: string, payload: unknown, options: PublishOptions = {}): Promise<void> {
    let data: Uint8Array | string
    const qos = options.qos ?? 0
    const retain = options.retain ?? false
    try {
      assertTopicName(topic)
      if (qos > this.profile.maxQos)
        throw new LiveTopicError('LIMIT_EXCEEDED', `QoS ${qos} is above what the ${this.profile.name} profile allows (${this.profile.maxQos})`, { topic })
      try {
        data = (options.codec ?? this.codec).encode(payload)
      } catch (cause) {
        throw new LiveTopicError('ENCODE_FAILED', `could not encode the payload for "${topic}"`, { topic, cause })
      }
      this.profile.checkPublish(topic, toBytes(data).length, { qos, retain })
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the checks above throw LiveTopicErrors: a synchronous throw becomes the rejection
      return Promise.reject(error)
    }
    const queued = this.outgoing.filter((o) => !o.sent).length
    if (!this.connection.connected && queued >= this.queueLimit)
      return Promise.reject(new LiveTopicError('QUEUE_FULL', `${this.queueLimit} publishes are already waiting for the connection`, { topic }))
    return new Promise<void>((resolve, reject) => {
      const item: Outgoing = new Outgoing(topic, data, qos, retain, resolve, reject, () => {
        this.settle(item)
        reject(new LiveTopicError('NOT_AUTHORIZED', `the broker closed the connection on the publish to "${topic}"`, { topic }))
      })
      this.outgoing.push(item)
      this.connection.ensureStarted()
      this.flush()
      // sent at once: flush() reported it
      if (!item.sent) this.reportQueue()
    })
  }

  /** Rejects everything still waiting (the client is closing). */
  rejectAll(error: LiveTopicError): void {
    for (const item of this.outgoing.splice(0)) {
      this.suspects.forget(item)
      item.reject(error)
    }
  }

  /** After a drop: unacknowledged publishes wait again (the suspect tracker has noted them). */
  private requeue(): void {
    for (const item of this.outgoing) item.sent = false
    this.reportQueue()
  }

  private flush(): void {
    if (!this.connection.connected || this.suspects.isolating) return
    let sent = 0
    for (const item of this.outgoing) {
      if (item.sent) continue
      sent++
      // a suspect goes alone: nothing after it until its PUBACK
      const alone = this.suspects.isSuspect(item)
      this.send(item, alone)
      if (alone) break
    }
    if (sent > 0) this.reportQueue()
  }

  private send(item: Outgoing, alone: boolean): void {
    item.sent = true
    if (item.qos > 0) this.suspects.sent(item, alone)
    this.connection.transport.publish(item.topic, item.payload, { qos: item.qos, retain: item.retain }).then(
      () => {
        this.settle(item)
        item.resolve()
      },
      (error: LiveTopicError) => {
        // a dropped connection requeues it (requeue); a final refusal settles it
        if (isFinalPublishFailure(error)) {
          this.settle(item)
          item.reject(error)
        }
      },
    )
  }

  /** Done with `item`: out of the queue, and answered as far as the suspect tracker is concerned. */
  private settle(item: Outgoing): void {
    const index = this.outgoing.indexOf(item)
    if (index >= 0) this.outgoing.splice(index, 1)
    this.suspects.answered(item)
    this.reportQueue()
  }

  private reportQueue(): void {
    if (!this.debug) return
    let queued = 0
    for (const item of this.outgoing) if (!item.sent) queued++
    this.debug({ type: 'queue', queued, inflight: this.outgoing.length - queued })
  }
}
