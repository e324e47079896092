/**
 * An in-page devtools panel for any framework: connection, topics, messages, debug events, a publish form.
 * @module @livetopic/devtools
 */
import type { LiveTopicClient, TopicMap } from '@livetopic/core'

/** Options of {@link mountDevtools}. */
export interface DevtoolsOptions {
  /** Open the panel at once (default: as it was before the tab reloaded, else closed). */
  open?: boolean
  /** The key that opens and closes it (default `Alt+Shift+L`); `false`: none. */
  shortcut?: string | false
  /** Show the small floating button (default true). */
  button?: boolean
  /** How many messages and events the panel keeps (default 200). */
  limit?: number
  /** Mount even when `process.env.NODE_ENV` is `production` (a staging build, say). */
  inProduction?: boolean
}

// bundlers replace `process.env.NODE_ENV` (spelt exactly so); in a page without a bundler
// `process` may not exist: the ReferenceError means "not production"
declare const process: { env: { NODE_ENV?: string } }

function isProduction(): boolean {
  try {
    return process.env.NODE_ENV === 'production'
  } catch {
    return false
  }
}

/**
 * Adds the livetopic devtools panel (`<livetopic-devtools>`) to the page for `client`. The panel's
 * code is loaded now, on demand (its own chunk); in a production build (`NODE_ENV=production`) and
 * outside a browser this does nothing. Returns the function that removes it.
 *
 * @example
 * if (import.meta.env.DEV) void import('@livetopic/devtools').then((d) => d.mountDevtools(client))
 */
export function mountDevtools<Topics extends TopicMap>(client: LiveTopicClient<Topics>, options: DevtoolsOptions = {}): () => void {
  if ((isProduction() && !options.inProduction) || typeof document === 'undefined') return () => {}
  let unmount: (() => void) | undefined
  let removed = false
  import('./mount.js').then(
    ({ mountPanel }) => {
      if (!removed) unmount = mountPanel(client, options)
    },
    (error: unknown) => globalThis.reportError?.(error),
  )
  return () => {
    removed = true
    unmount?.()
  }
}
