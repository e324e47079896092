import { toBytes, type Codec } from './codecs.js'
import type { Connection } from './connection.js'
import type { DebugSink } from './debug-events.js'
import { LiveTopicError } from './errors.js'
import type { Profile } from './profile.js'
import type { Sendable, SuspectTracker } from './suspects.js'
import { isFinalPublishFailure } from './transport.js'
import { assertTopicName } from './topic-validation.js'
import type { PublishOptions, QoS } from './types.js'

/** Where a publish is: waiting for the connection, written and unanswered, or settled. */
type OutgoingState = 'waiting' | 'sent' | 'done'

/** One publish, from `client.publish()` until its PUBACK (or write, for QoS 0). */
class Outgoing implements Sendable {
  readonly kind = 'publish'
  state: OutgoingState = 'waiting'

  constructor(
    readonly topic: string,
    readonly payload: Uint8Array | string,
    readonly qos: QoS,
    readonly retain: boolean,
    readonly resolve: () => void,
    readonly reject: (error: LiveTopicError) => void,
    private readonly publisher: Publisher,
  ) {}

  /** The second strike of the suspect tracker. */
  refused(): void {
    this.publisher.refuse(this)
  }
}

/** The part of the connection the Publisher uses: sends go through its state machine. */
export type PublishConnection = Pick<Connection, 'connected' | 'publish' | 'ensureStarted' | 'on'>

/**
 * Publishes in order. While disconnected they wait in a bounded queue; unacknowledged ones are
 * sent again after a reconnect. A publish the broker answers by hanging up is retried once,
 * alone, then rejected with NOT_AUTHORIZED (see SuspectTracker).
 *
 * Every step is O(1) per publish: a burst of N publishes costs O(N), not O(N²). Waiting publishes
 * are a FIFO (array + head index; a settled one is skipped when reached), sent ones a Set in send
 * order (so a reconnect resends them first, in their order).
 */
export class Publisher {
  private waiting: Outgoing[] = []
  private head = 0
  /** Publishes in `waiting` from `head` on that are still waiting (not settled meanwhile). */
  private queued = 0
  private readonly sent = new Set<Outgoing>()

  constructor(
    private readonly connection: PublishConnection,
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
    if (!this.connection.connected && this.queued >= this.queueLimit)
      return Promise.reject(new LiveTopicError('QUEUE_FULL', `${this.queueLimit} publishes are already waiting for the connection`, { topic }))
    return new Promise<void>((resolve, reject) => {
      const item = new Outgoing(topic, data, qos, retain, resolve, reject, this)
      this.waiting.push(item)
      this.queued++
      this.connection.ensureStarted()
      this.flush()
      // sent at once: flush() reported it
      if (item.state === 'waiting') this.reportQueue()
    })
  }

  /** Rejects everything still waiting (the client is closing). */
  rejectAll(error: LiveTopicError): void {
    const all = [...this.sent, ...this.waiting.slice(this.head)]
    this.sent.clear()
    this.waiting = []
    this.head = 0
    this.queued = 0
    for (const item of all) {
      if (item.state === 'done') continue
      item.state = 'done'
      this.suspects.forget(item)
      item.reject(error)
    }
  }

  /** The suspect tracker's second strike: the broker refused `item`. */
  refuse(item: Outgoing): void {
    if (!this.settle(item)) return
    item.reject(new LiveTopicError('NOT_AUTHORIZED', `the broker closed the connection on the publish to "${item.topic}"`, { topic: item.topic }))
  }

  /** After a drop: unacknowledged publishes wait again, ahead of the rest (the suspect tracker has noted them). */
  private requeue(): void {
    if (this.sent.size === 0) return
    const again = [...this.sent]
    for (const item of again) item.state = 'waiting'
    this.sent.clear()
    this.waiting = again.concat(this.waiting.slice(this.head))
    this.head = 0
    this.queued += again.length
    this.reportQueue()
  }

  private flush(): void {
    if (!this.connection.connected || this.suspects.isolating) return
    let count = 0
    while (this.head < this.waiting.length) {
      const item = this.waiting[this.head]!
      // a suspect goes alone: nothing after it until its PUBACK
      const alone = item.state === 'waiting' && this.suspects.isSuspect(item)
      this.head++
      if (item.state !== 'waiting') continue
      count++
      this.send(item, alone)
      if (alone) break
    }
    // all sent: start the array over (while connected this is every flush; a backlog behind an
    // isolated suspect or the offline queue is bounded by queueLimit)
    if (this.head === this.waiting.length) this.waiting = []
    if (this.waiting.length === 0) this.head = 0
    if (count > 0) this.reportQueue()
  }

  private send(item: Outgoing, alone: boolean): void {
    item.state = 'sent'
    this.queued--
    this.sent.add(item)
    if (item.qos > 0) this.suspects.sent(item, alone)
    this.connection.publish(item.topic, item.payload, { qos: item.qos, retain: item.retain }).then(
      () => {
        if (this.settle(item)) item.resolve()
      },
      (error: LiveTopicError) => {
        // a dropped connection requeues it (requeue); a final refusal settles it (the transport says
        // which: transport.ts's PublishFailure.retryable)
        if (isFinalPublishFailure(error) && this.settle(item)) item.reject(error)
      },
    )
  }

  /**
   * Done with `item`: out of the queue, and answered as far as the suspect tracker is concerned.
   * False when it was settled already (e.g. refused, then its old write resolved).
   */
  private settle(item: Outgoing): boolean {
    if (item.state === 'done') return false
    // one still in `waiting` is skipped when flush() reaches it
    if (item.state === 'waiting') this.queued--
    else this.sent.delete(item)
    item.state = 'done'
    this.suspects.answered(item)
    this.reportQueue()
    return true
  }

  private reportQueue(): void {
    this.debug?.({ type: 'queue', queued: this.queued, inflight: this.sent.size })
  }
}
