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

interface Mount {
  client: LiveTopicClient
  options: DevtoolsOptions
}
type MountPanel = (client: LiveTopicClient, options: DevtoolsOptions) => () => void

// The live calls, oldest first, and the one the panel shows. The panel follows the newest live
// call whatever order the panel's chunk resolves in for each (a client replaced at once, as React's
// StrictMode does, must not leave the panel on the closed one); removing it shows the one before.
const mounts: Mount[] = []
let shown: { mount: Mount; remove: () => void } | undefined
let mountPanel: MountPanel | undefined

function showNewest(): void {
  const newest = mounts.at(-1)
  if (!mountPanel || newest === shown?.mount) return
  if (newest) {
    shown = { mount: newest, remove: mountPanel(newest.client, newest.options) }
  } else {
    shown?.remove()
    shown = undefined
  }
}

/**
 * Adds the livetopic devtools panel (`<livetopic-devtools>`) to the page for `client`. The panel's
 * code is loaded now, on demand (its own chunk); in a production build (`NODE_ENV=production`) and
 * outside a browser this does nothing. Returns the function that removes it. With several calls
 * live, the panel shows the newest; removing it shows the one before.
 *
 * @example
 * if (import.meta.env.DEV) void import('@livetopic/devtools').then((d) => d.mountDevtools(client))
 */
export function mountDevtools<Topics extends TopicMap>(client: LiveTopicClient<Topics>, options: DevtoolsOptions = {}): () => void {
  if ((isProduction() && !options.inProduction) || typeof document === 'undefined') return () => {}
  const mount: Mount = { client, options }
  mounts.push(mount)
  import('./mount.js').then(
    (loaded) => {
      mountPanel = loaded.mountPanel
      showNewest()
    },
    (error: unknown) => globalThis.reportError?.(error),
  )
  return () => {
    const at = mounts.indexOf(mount)
    if (at < 0) return
    mounts.splice(at, 1)
    showNewest()
  }
}
