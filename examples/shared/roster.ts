import type { Roster } from './config.js'

/** The fields of an IoT lifecycle event the roster reads. */
export interface LifecycleEvent {
  clientId: string
  eventType: string
  timestamp: number
  versionNumber?: number
}

/**
 * Who is connected, kept from `$aws/events/presence/...` lifecycle events. Events may arrive twice
 * or out of order: `versionNumber` (then `timestamp`) orders a client's connects and disconnects,
 * and a stale one is ignored.
 */
export class RosterState {
  readonly #clients = new Map<string, { connected: boolean; version?: number; at: number; since: number }>()

  /** Applies one event; returns true when the roster changed. */
  apply(event: LifecycleEvent): boolean {
    if (event.eventType !== 'connected' && event.eventType !== 'disconnected') return false
    if (event.clientId.startsWith('telemetry-')) return false // the device is no participant
    const connected = event.eventType === 'connected'
    const known = this.#clients.get(event.clientId)
    if (known && this.#stale(event, connected, known)) return false
    const since = connected ? event.timestamp : (known?.since ?? event.timestamp)
    this.#clients.set(event.clientId, { connected, at: event.timestamp, since, ...(event.versionNumber === undefined ? {} : { version: event.versionNumber }) })
    return known?.connected !== connected
  }

  #stale(event: LifecycleEvent, connected: boolean, known: { connected: boolean; version?: number; at: number }): boolean {
    const version = event.versionNumber
    if (version !== undefined && known.version !== undefined && version !== known.version) return version < known.version
    if ((version === undefined || known.version === undefined) && event.timestamp !== known.at) return event.timestamp < known.at
    // the same connection (its connect and disconnect share a version) or a repeat: a disconnect wins
    return connected || !known.connected
  }

  /** The roster to publish (retained). */
  snapshot(now: number): Roster {
    const members = [...this.#clients.entries()]
      .filter(([, c]) => c.connected)
      .map(([clientId, c]) => ({ clientId, connectedAt: c.since, ...(c.version === undefined ? {} : { versionNumber: c.version }) }))
      .sort((a, b) => a.connectedAt - b.connectedAt || a.clientId.localeCompare(b.clientId))
    return { members, timestamp: now }
  }
}

/** True for a payload shaped like a lifecycle event. */
export function isLifecycleEvent(value: unknown): value is LifecycleEvent {
  if (value === null || typeof value !== 'object') return false
  const v = value as Record<string, unknown>
  return typeof v.clientId === 'string' && typeof v.eventType === 'string' && typeof v.timestamp === 'number'
}
