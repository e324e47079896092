/**
 * `shareAcrossTabs`: every tab of an app shares one connection (Web Locks + BroadcastChannel).
 * @module @livetopic/core/tabs
 */
import { defaultTransport } from '../default-transport.js'
import type { TransportFactory } from '../transport.js'
import { PROTOCOL } from './protocol.js'
import { TabTransport } from './tab-transport.js'

/** Options of {@link shareAcrossTabs}. */
export interface ShareAcrossTabsOptions {
  /**
   * Tabs of one origin with the same channel share one connection (default `livetopic`). Use one
   * name per broker and identity, e.g. the user's client id: tabs signed in as different users
   * must not share.
   */
  channel?: string
  /** The transport the leader tab connects with (default: the core's own). */
  transport?: TransportFactory
}

/**
 * One connection per browser: `createClient(options, shareAcrossTabs())`. The tabs elect a leader
 * (Web Locks) that owns the socket; the others subscribe and publish through it (BroadcastChannel).
 * Where either API is missing (Node, SSR, old browsers, non-secure origins) each client keeps its
 * own connection. `client.status` gains `role: 'leader' | 'follower'`.
 */
export function shareAcrossTabs(options: ShareAcrossTabsOptions = {}): TransportFactory {
  const inner = options.transport ?? defaultTransport()
  return (transportOptions, handlers) => {
    const locks = typeof document === 'object' ? globalThis.navigator?.locks : undefined
    if (!locks || typeof BroadcastChannel !== 'function') return inner(transportOptions, handlers)
    const platform = { locks, channel: (name: string) => new BroadcastChannel(name) }
    // the version in the name: tabs of two app versions (during a deploy) never share a channel or a lock
    return new TabTransport(`livetopic:${PROTOCOL}:${options.channel ?? 'livetopic'}`, inner, transportOptions, handlers, platform)
  }
}
