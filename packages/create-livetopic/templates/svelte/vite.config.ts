import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vite'
import { liveTopicBroker } from './livetopic/vite-broker.js'

export default defineConfig({ plugins: [svelte(), liveTopicBroker()], server: { host: '127.0.0.1' }, preview: { host: '127.0.0.1' } })
