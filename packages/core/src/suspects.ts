import type { DebugSink } from './debug-events.js'

// A drop this soon after a SUBSCRIBE or QoS 1 PUBLISH went out, with no answer, is read as the
// broker refusing it (AWS IoT Core under MQTT 3.1.1 closes the connection instead of answering).
const SUSPECT_WINDOW_MS = 3000

/** Something sent that the broker may answer by hanging up: one SUBSCRIBE filter or one QoS 1 PUBLISH. */
export interface Sendable {
  readonly kind: 'subscribe' | 'publish'
  /** The filter or topic, for errors and debug events. */
  readonly topic: string
  /** Called at the second strike: the broker refused it. */
  refused(): void
}

/**
 * The "what was in flight when the connection dropped" protocol, for subscriptions and publishes
 * alike. Two strikes: in flight at one drop makes an item a suspect; a suspect is then sent alone
 * (nothing else goes out until it is answered), and in flight again at the next drop it is
 * refused. A single drop may be the network, not the broker's refusal.
 */
export class SuspectTracker {
  private readonly inflight = new Map<Sendable, number>()
  private readonly suspects = new WeakSet<Sendable>()
  private isolated: Sendable | undefined
  private readonly resumeListeners: (() => void)[] = []

  constructor(private readonly debug: DebugSink) {}

  /** True while a suspect is out alone: the layers hold everything else back. */
  get isolating(): boolean {
    return this.isolated !== undefined
  }

  isSuspect(item: Sendable): boolean {
    return this.suspects.has(item)
  }

  /** Records that `item` went out; `alone` when it is the suspect sent by itself. */
  sent(item: Sendable, alone = false): void {
    this.inflight.set(item, Date.now())
    if (alone) this.isolated = item
  }

  /** The broker answered `item` (granted, refused with a code, or acknowledged). */
  answered(item: Sendable): void {
    this.inflight.delete(item)
    this.suspects.delete(item)
    if (this.isolated !== item) return
    this.isolated = undefined
    for (const resume of this.resumeListeners) resume()
  }

  /** Stops following `item` (the store left, the publish was settled another way). */
  forget(item: Sendable): void {
    this.inflight.delete(item)
    this.suspects.delete(item)
    if (this.isolated === item) this.answered(item)
  }

  /** Called when the isolated suspect is answered, so the layers send what they held back. */
  onResume(listener: () => void): void {
    this.resumeListeners.push(listener)
  }

  /**
   * The connection dropped: strikes everything sent within the window and not answered.
   * Returns true when something was, i.e. the drop may be the broker's answer to us.
   */
  judgeDrop(): boolean {
    const now = Date.now()
    let explained = false
    const recent = [...this.inflight].filter(([, sentAt]) => now - sentAt <= SUSPECT_WINDOW_MS).map(([item]) => item)
    this.inflight.clear()
    this.isolated = undefined
    for (const item of recent) {
      explained = true
      if (this.suspects.has(item)) {
        this.suspects.delete(item)
        this.debug?.({ type: 'forbidden', kind: item.kind, topic: item.topic })
        item.refused()
      } else {
        this.suspects.add(item)
        this.debug?.({ type: 'suspect', kind: item.kind, topic: item.topic })
      }
    }
    return explained
  }
}
