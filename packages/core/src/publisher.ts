import { toBytes, type Codec } from './codecs.js'
import { LiveTopicError } from './errors.js'
import type { Profile } from './profile.js'
import { assertTopicName } from './topic-validation.js'
import type { Transport } from './transport.js'
import type { PublishOptions, QoS } from './types.js'

interface Outgoing {
  readonly topic: string
  readonly payload: Uint8Array | string
  readonly qos: QoS
  readonly retain: boolean
  readonly resolve: () => void
  readonly reject: (error: LiveTopicError) => void
  sent: boolean
  sentAt: number
  suspect: boolean
}

interface ConnectionView {
  readonly connected: boolean
  readonly transport: Transport
  ensureStarted(): void
}

// A drop this soon after a QoS 1 PUBLISH with no PUBACK is read as the broker refusing it.
const SUSPECT_WINDOW_MS = 3000

/**
 * Publishes in order. While disconnected they wait in a bounded queue; unacknowledged ones are
 * sent again after a reconnect. A publish the broker answers by hanging up is retried once,
 * alone, then rejected with NOT_AUTHORIZED.
 */
export class Publisher {
  private readonly outgoing: Outgoing[] = []
  private isolating = false

  constructor(
    private readonly connection: ConnectionView,
    private readonly profile: Profile,
    private readonly codec: Codec<unknown>,
    private readonly queueLimit: number,
  ) {}

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
      return Promise.reject(error)
    }
    const queued = this.outgoing.filter((o) => !o.sent).length
    if (!this.connection.connected && queued >= this.queueLimit)
      return Promise.reject(new LiveTopicError('QUEUE_FULL', `${this.queueLimit} publishes are already waiting for the connection`, { topic }))
    return new Promise<void>((resolve, reject) => {
      this.outgoing.push({ topic, payload: data, qos, retain, resolve, reject, sent: false, sentAt: 0, suspect: false })
      this.connection.ensureStarted()
      this.flush()
    })
  }

  onConnect(): void {
    this.flush()
  }

  /** Unacknowledged publishes go back in the queue; returns true when one explains the drop. */
  onDisconnect(): boolean {
    const now = Date.now()
    let explained = false
    const inflight = this.outgoing.filter((o) => o.sent && o.qos > 0 && now - o.sentAt <= SUSPECT_WINDOW_MS)
    for (const item of inflight) {
      explained = true
      // two strikes, as for subscriptions: suspect at the first drop, refused when it was alone at the second
      if (item.suspect) {
        this.settle(item)
        item.reject(new LiveTopicError('NOT_AUTHORIZED', `the broker closed the connection on the publish to "${item.topic}"`, { topic: item.topic }))
      } else item.suspect = true
    }
    for (const item of this.outgoing) item.sent = false
    this.isolating = false
    return explained
  }

  /** Rejects everything still waiting (the client is closing). */
  rejectAll(error: LiveTopicError): void {
    for (const item of this.outgoing.splice(0)) item.reject(error)
  }

  private flush(): void {
    if (!this.connection.connected || this.isolating) return
    for (const item of this.outgoing) {
      if (item.sent) continue
      if (item.suspect) {
        this.isolating = true
        this.send(item)
        return
      }
      this.send(item)
    }
  }

  private send(item: Outgoing): void {
    item.sent = true
    item.sentAt = Date.now()
    this.connection.transport.publish(item.topic, item.payload, { qos: item.qos, retain: item.retain }).then(
      () => {
        this.settle(item)
        item.resolve()
        if (item.suspect) {
          this.isolating = false
          this.flush()
        }
      },
      (error: LiveTopicError) => {
        // a dropped connection requeues it (onDisconnect); a refusal with a reason code is final
        if (error.code === 'NOT_AUTHORIZED' || error.reasonCode !== undefined) {
          this.settle(item)
          item.reject(error)
        }
      },
    )
  }

  private settle(item: Outgoing): void {
    const index = this.outgoing.indexOf(item)
    if (index >= 0) this.outgoing.splice(index, 1)
  }
}
