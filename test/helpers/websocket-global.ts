// Node 20 has no global WebSocket (Node 22 and browsers do), and jsdom's, under vitest, dispatches
// its events across realms and fails. Give every suite `ws`'s, as a Node 20 user passes it with
// `createClient({ url, WebSocket })`. Chromium's own is what the e2e suite's pages use.
import { WebSocket } from 'ws'

;(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket
