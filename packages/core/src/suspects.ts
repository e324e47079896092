import type { DebugSink } from './debug-events.js'

// A drop this soon after a SUBSCRIBE or QoS 1 PUBLISH went out, with no answer, may be the broker
// refusing it (AWS IoT Core under MQTT 3.1.1 closes the connection instead of answering).
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
 *
 * Which drops strike. IoT's refusal is a broker that stays up closing one connection right after
 * our packet; a restart or a network loss also closes it right after whatever we sent last. The
 * difference shows at the next connect attempt, so a drop only accuses what was in flight, and the
 * accused get their strike when that attempt connects at once with the session intact:
 * - an attempt that fails (refused while the broker restarts, timed out, browser offline) means
 *   the broker or the network was away: no strike; but an attempt the broker refuses as throttled
 *   (CONNACK 3 under AWS IoT's 1 CONNECT/s, MQTT 5 0x88/0x89/0x97/0x9F) shows it is up, so the accused
 *   wait for the attempt that connects (the connection does not call `brokerAway()` for it);
 * - a persistent session (clean: false) that had subscriptions and comes back without
 *   `sessionPresent` means the broker forgot us, as a restarted in-memory broker does (IoT keeps
 *   the session across a refusal): no strike. (A session with nothing stored yet proves nothing:
 *   some brokers, aedes among them, report such a session as absent.)
 * Under MQTT 5 nothing is inferred at all: the broker answers a refusal with a reason code
 * (SUBACK/PUBACK 0x87). What remains indistinguishable: a clean session whose broker restarts
 * faster than the first reconnect attempt, twice, each time with the same item alone in flight.
 */
export class SuspectTracker {
  readonly #inflight = new Map<Sendable, number>()
  readonly #suspects = new WeakSet<Sendable>()
  /** In flight at the last drop; judged when the next connect attempt ends. */
  readonly #accused = new Set<Sendable>()
  #isolated: Sendable | undefined
  /** The broker granted or refused a SUBSCRIBE on this session: it holds state it must keep. */
  #sessionHasState = false
  readonly #resumeListeners: (() => void)[] = []

  readonly #debug: DebugSink
  /** False under MQTT 5: reason codes say what the broker refused. */
  readonly #infer: boolean

  constructor(debug: DebugSink, infer = true) {
    this.#debug = debug
    this.#infer = infer
  }

  /** True while a suspect is out alone: the layers hold everything else back. */
  get isolating(): boolean {
    return this.#isolated !== undefined
  }

  isSuspect(item: Sendable): boolean {
    return this.#suspects.has(item)
  }

  /** Records that `item` went out; `alone` when it is the suspect sent by itself. */
  sent(item: Sendable, alone = false): void {
    this.#inflight.set(item, Date.now())
    if (alone) this.#isolated = item
  }

  /** The broker answered `item` (granted, refused with a code, or acknowledged). */
  answered(item: Sendable): void {
    if (item.kind === 'subscribe') this.#sessionHasState = true
    this.#inflight.delete(item)
    this.#suspects.delete(item)
    if (this.#isolated !== item) return
    this.#isolated = undefined
    for (const resume of this.#resumeListeners) resume()
  }

  /** Stops following `item` (the store left, the publish was settled another way). */
  forget(item: Sendable): void {
    this.#inflight.delete(item)
    this.#suspects.delete(item)
    this.#accused.delete(item)
    if (this.#isolated === item) this.answered(item)
  }

  /** Called when the isolated suspect is answered, so the layers send what they held back. */
  onResume(listener: () => void): void {
    this.#resumeListeners.push(listener)
  }

  /**
   * The connection dropped: accuses everything sent within the window and not answered.
   * Returns true when something was, i.e. the drop may be the broker's answer to us.
   */
  dropped(): boolean {
    const now = Date.now()
    let explained = false
    for (const [item, sentAt] of this.#inflight) {
      if (now - sentAt > SUSPECT_WINDOW_MS) continue
      explained = true
      if (this.#infer) this.#accused.add(item)
    }
    this.#inflight.clear()
    this.#isolated = undefined
    return explained
  }

  /**
   * An attempt connected (before the layers send anything). Strikes the accused if the broker was
   * there all along: a first strike makes a suspect, a second refuses it.
   */
  reconnected(sessionPresent: boolean, clean: boolean): void {
    const forgotten = !clean && !sessionPresent && this.#sessionHasState
    this.#sessionHasState = !clean && sessionPresent
    const accused = [...this.#accused]
    this.#accused.clear()
    if (forgotten) return
    for (const item of accused) {
      if (this.#suspects.has(item)) {
        this.#suspects.delete(item)
        this.#debug?.({ type: 'forbidden', kind: item.kind, topic: item.topic })
        item.refused()
      } else {
        this.#suspects.add(item)
        this.#debug?.({ type: 'suspect', kind: item.kind, topic: item.topic })
      }
    }
  }

  /** A connect attempt failed (or the browser went offline): the last drop was not a refusal. */
  brokerAway(): void {
    this.#accused.clear()
  }
}
