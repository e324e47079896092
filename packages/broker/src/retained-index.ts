import type { Aedes } from 'aedes'

/** One retained message as the Data Plane API reports it. */
export interface RetainedEntry {
  topic: string
  payload: Buffer
  qos: 0 | 1
  lastModifiedTime: number
}

/** Mirrors aedes' retained store with IoT's `lastModifiedTime`, for the HTTP API (empty payload deletes). */
export class RetainedIndex {
  readonly #entries = new Map<string, RetainedEntry>()
  #bytes = 0

  constructor(aedes: Aedes) {
    aedes.on('publish', (packet) => {
      if (!packet.retain) return
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload)
      this.#bytes -= this.bytesOn(packet.topic)
      if (payload.length === 0) this.#entries.delete(packet.topic)
      else this.#entries.set(packet.topic, { topic: packet.topic, payload, qos: packet.qos === 0 ? 0 : 1, lastModifiedTime: Date.now() })
      this.#bytes += payload.length
    })
  }

  /** How many topics hold a retained message. */
  get size(): number {
    return this.#entries.size
  }

  /** Payload bytes of every retained message together. */
  get bytes(): number {
    return this.#bytes
  }

  /** Payload bytes retained on `topic` (0 when none). */
  bytesOn(topic: string): number {
    return this.#entries.get(topic)?.payload.length ?? 0
  }

  get(topic: string): RetainedEntry | undefined {
    return this.#entries.get(topic)
  }

  /** Every retained message, sorted by topic (stable pagination). */
  list(): RetainedEntry[] {
    return [...this.#entries.values()].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0))
  }
}
