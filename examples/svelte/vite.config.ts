import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vite'
import { liveTopicBroker } from '../shared/vite-plugin.js'

// `npm run dev:svelte` at the root: the broker starts inside Vite on 127.0.0.1:8080 (LIVETOPIC_PORT)
export default defineConfig({
  plugins: [svelte(), liveTopicBroker()],
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  // every browser the examples support preloads modules itself, and the page's lazy chunks (the
  // sign-in flows) need nothing preloaded: neither the polyfill nor the preload helper (README, Size)
  build: { modulePreload: false },
})
