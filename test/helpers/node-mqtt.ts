// MQTT.js decides once, when first loaded, whether it runs in a browser (a `window` with a
// `document`), and jsdom has one: it would then use the global WebSocket instead of Node's `ws`.
// Load it here with `window` hidden, so the adapter tests talk to the broker as Node does.
import { createRequire } from 'node:module'

const scope = globalThis as { window?: unknown }
const saved = Object.getOwnPropertyDescriptor(scope, 'window')
if (saved) {
  delete scope.window
  try {
    createRequire(import.meta.url)('mqtt')
  } finally {
    Object.defineProperty(scope, 'window', saved)
  }
}
